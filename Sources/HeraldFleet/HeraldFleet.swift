// The HeraldFleet module; see its types.
