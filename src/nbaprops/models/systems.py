"""The three systems side by side: one call gives every system's predicted points for a frame."""

from __future__ import annotations

import numpy as np

from nbaprops.models.config import ModelConfig
from nbaprops.models.frame import FeatureFrame
from nbaprops.models.gbm import GbmModel
from nbaprops.models.moving_average import predict_moving_average

SYSTEMS = ("moving_average", "gbm", "ensemble")
NEEDS_GBM = frozenset({"gbm", "ensemble"})


def predict_systems(
    frame: FeatureFrame, gbm: GbmModel | None, cfg: ModelConfig, systems: tuple[str, ...] = SYSTEMS
) -> dict[str, np.ndarray]:
    """Predicted points per system; the ensemble is a fixed weighted mean of gbm and moving_average."""
    unknown = set(systems) - set(SYSTEMS)
    if unknown:
        raise ValueError(f"unknown system(s) {sorted(unknown)}; known: {', '.join(SYSTEMS)}")
    if gbm is None and NEEDS_GBM & set(systems):
        raise ValueError("gbm and ensemble need a trained model")
    out = {"moving_average": predict_moving_average(frame, cfg.moving_average)}
    if gbm is not None:
        out["gbm"] = gbm.predict(frame)
        w = cfg.ensemble_gbm_weight
        out["ensemble"] = w * out["gbm"] + (1 - w) * out["moving_average"]
    return {name: out[name] for name in systems}


def model_versions(gbm: GbmModel | None, cfg: ModelConfig) -> dict[str, str]:
    """Version of each system's predictions: the trained model (if any) plus the settings' digest."""
    versions = {"moving_average": f"moving_average-{cfg.digest()}"}
    if gbm is not None:
        versions["gbm"] = f"{gbm.version}.{cfg.digest()}"
        versions["ensemble"] = f"ensemble-{gbm.version}.{cfg.digest()}"
    return versions
