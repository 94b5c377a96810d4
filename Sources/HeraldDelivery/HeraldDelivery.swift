// The HeraldDelivery module; see its types.
