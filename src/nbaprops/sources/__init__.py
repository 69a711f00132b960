"""Phase 1: where raw bytes come from (the archive corpus on disk; live clients)."""
