"""Audits that drive the pipeline to prove what it computed: the point-in-time recomputation."""
