// The HeraldTemplates module; see its types.
