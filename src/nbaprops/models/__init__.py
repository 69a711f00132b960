"""Phase 5: prediction systems (moving-average rules, LightGBM, ensemble), grading and the walk-forward backtest.

Every system reads features.ml_feature_store only; the one source of a row's line and prices is the feature store's
latest-before-tip-off line with the prices of that same snapshot (frame.py), so no placeholder line can get in.
"""
