"""Rankings are computed from the snapshots on request (``supervision.services.rankings``); the
county's weights for the "四比四看" contest live on its policy profile (``PolicyProfile.weight_*``),
so this module holds no table of its own."""
