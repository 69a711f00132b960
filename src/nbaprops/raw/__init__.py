"""Phase 2: loaders that turn archive and live files into the normalized `raw.*` tables."""
