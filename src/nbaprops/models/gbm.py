"""The LightGBM model of a market: fit on a training frame, save and load it as an artifact with its metadata.

An artifact is a folder `<models_dir>/<version>/` with LightGBM's model text and `metadata.json` (which names its
market). Loading checks the market, the feature version and the market's feature list against the code, so a model
can never be fed columns it was not fitted on, nor price another market.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from importlib.metadata import version as package_version
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from nbaprops.features.markets import POINTS, Market
from nbaprops.features.ml_feature_store import FEATURE_VERSION
from nbaprops.models.config import GbmParams
from nbaprops.models.frame import FeatureFrame
from nbaprops.models.metrics import error_summary
from nbaprops.pipeline.failures import ConfigurationError

if TYPE_CHECKING:  # lightgbm (with sklearn, scipy, pandas) takes seconds to import: only where a model is fitted/loaded
    import lightgbm as lgb

MODEL_FILE, METADATA_FILE = "model.txt", "metadata.json"


class IncompatibleModel(ConfigurationError):
    """A saved model was fitted on another feature version or feature list than the store now provides."""


def code_version() -> str:
    """Package version plus a hash of this package's sources: which code produced an artifact."""
    digest = hashlib.sha256()
    for entry in sorted(resources.files("nbaprops.models").iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".py", ".sql")):
            digest.update(entry.read_bytes())
    return f"{package_version('nbaprops')}+{digest.hexdigest()[:10]}"


@dataclass(frozen=True)
class GbmModel:
    booster: lgb.Booster
    metadata: dict

    @property
    def version(self) -> str:
        return self.metadata["version"]

    def predict(self, frame: FeatureFrame) -> np.ndarray:
        if len(frame) == 0:
            return np.empty(0)
        threads = self.metadata["params"]["num_threads"]
        return np.maximum(self.booster.predict(frame.X, num_threads=threads), 0.0)

    def save(self, models_dir: Path) -> Path:
        folder = Path(models_dir) / self.version
        folder.mkdir(parents=True, exist_ok=True)
        self.booster.save_model(str(folder / MODEL_FILE))
        (folder / METADATA_FILE).write_text(json.dumps(self.metadata, indent=2) + "\n", encoding="utf-8")
        return folder


def fit_gbm(train: FeatureFrame, train_end: dt.date, params: GbmParams) -> GbmModel:
    """Fit on `train` (played rows before train_end; the caller's contract, re-checked here)."""
    if len(train) == 0:
        raise ValueError(f"no played feature rows before {train_end} to train on")
    if not (train.played.all() and (train.game_date < np.datetime64(train_end)).all()):
        raise ValueError(f"training rows must be played player-games dated before {train_end}")
    import lightgbm as lgb

    regressor = lgb.LGBMRegressor(**params.model_dump(), verbose=-1, deterministic=True, force_row_wise=True)
    regressor.fit(train.X, train.actual, feature_name=list(train.features))
    booster = regressor.booster_
    fitted = np.maximum(booster.predict(train.X, num_threads=params.num_threads), 0.0)
    model_text = booster.model_to_string()
    market = train.market.name
    metadata = {
        "system": "gbm",
        "market": market,
        "version": f"gbm-{market}-{train_end:%Y%m%d}-{hashlib.sha256(model_text.encode()).hexdigest()[:8]}",
        "feature_version": FEATURE_VERSION,
        "features": list(train.features),
        "train_end_exclusive": train_end.isoformat(),
        "first_training_date": str(train.game_date.min()),
        "last_training_date": str(train.game_date.max()),
        "rows": len(train),
        "metrics": {
            "in_sample": error_summary(fitted, train.actual),
            "in_sample_season_average": error_summary(train.feature(train.market.form["season"]), train.actual),
            "note": "in-sample only; `nbaprops backtest` gives the honest out-of-sample numbers",
        },
        "params": params.model_dump(),
        "code_version": code_version(),
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    return GbmModel(booster, metadata)


def load_gbm(folder: Path, market: Market = POINTS) -> GbmModel:
    """Load an artifact folder; another market, or a feature version or list that differs from the market's, is
    IncompatibleModel."""
    folder = Path(folder)
    metadata = json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
    retrain = f"retrain with `nbaprops train --market {market.name}`"
    if metadata.get("market") != market.name:
        raise IncompatibleModel(f"model {folder.name} prices {metadata.get('market')}, not {market.name}: {retrain}")
    expected = list(market.features)
    if metadata.get("feature_version") != FEATURE_VERSION or metadata.get("features") != expected:
        missing = sorted(set(expected) - set(metadata.get("features", [])))
        extra = sorted(set(metadata.get("features", [])) - set(expected))
        raise IncompatibleModel(
            f"model {folder.name} was trained on feature_version {metadata.get('feature_version')} "
            f"({len(metadata.get('features', []))} features) but the feature store is version {FEATURE_VERSION} "
            f"({len(expected)} {market.name} features; not in model: {missing or 'none'}, only in model: "
            f"{extra or 'none'}, or a different order): {retrain}"
        )
    import lightgbm as lgb

    return GbmModel(lgb.Booster(model_file=str(folder / MODEL_FILE)), metadata)


def gbm_artifacts(models_dir: Path, market: Market = POINTS) -> list[tuple[dt.date, str, Path]]:
    """(training end, created at, folder) of every gbm artifact of `market`, read once for callers that pick one per
    date."""
    found = []
    for meta in Path(models_dir).glob(f"*/{METADATA_FILE}"):
        info = json.loads(meta.read_text(encoding="utf-8"))
        if info.get("system") == "gbm" and info.get("market") == market.name:
            found.append((dt.date.fromisoformat(info["train_end_exclusive"]), info["created_at"], meta.parent))
    return found


def pick_gbm(artifacts: list[tuple[dt.date, str, Path]], for_date: dt.date) -> Path | None:
    """The newest artifact usable for `for_date`: trained only on games before it (latest training end wins)."""
    usable = [a for a in artifacts if a[0] <= for_date]
    return max(usable)[2] if usable else None


def find_gbm(models_dir: Path, for_date: dt.date, market: Market = POINTS) -> Path:
    """`pick_gbm` from a models folder; no usable artifact is an error that says how to train one."""
    found = pick_gbm(gbm_artifacts(models_dir, market), for_date)
    if found is None:
        raise FileNotFoundError(
            f"no {market.name} gbm model in {models_dir} trained before {for_date}: run "
            f"`nbaprops train --market {market.name} --train-end {for_date}`"
        )
    return found
