// The HeraldJourneys module; see its types.
