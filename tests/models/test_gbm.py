import datetime as dt
import json

import numpy as np
import pytest

from nbaprops.models.config import GbmParams
from nbaprops.models.gbm import METADATA_FILE, IncompatibleModel, find_gbm, fit_gbm, load_gbm

from .synthetic import make_frame

PARAMS = GbmParams(n_estimators=20, min_child_samples=5)
END = dt.date(2024, 11, 1) + dt.timedelta(days=60)


@pytest.fixture(scope="module")
def train():
    rng = np.random.default_rng(1)
    return make_frame(rng.uniform(0, 30, 60), seed=1)


def test_fit_refuses_rows_on_or_after_train_end(train):
    with pytest.raises(ValueError, match="before"):
        fit_gbm(train, END - dt.timedelta(days=1), PARAMS)


def test_artifact_round_trip_gives_the_same_predictions(train, tmp_path):
    model = fit_gbm(train, END, PARAMS)
    assert model.metadata["rows"] == 60 and model.metadata["last_training_date"] < END.isoformat()
    model.save(tmp_path)
    loaded = load_gbm(find_gbm(tmp_path, END))
    assert loaded.version == model.version
    assert np.allclose(loaded.predict(train), model.predict(train))


def test_training_is_deterministic(train):
    assert fit_gbm(train, END, PARAMS).version == fit_gbm(train, END, PARAMS).version


def test_a_model_is_only_found_for_dates_after_its_training(train, tmp_path):
    fit_gbm(train, END, PARAMS).save(tmp_path)
    with pytest.raises(FileNotFoundError, match="nbaprops train"):
        find_gbm(tmp_path, END - dt.timedelta(days=1))


@pytest.mark.parametrize(
    "change", [{"feature_version": 99}, {"features": ["points_avg_last_5"]}, {"reverse": True}], ids=str
)
def test_loading_a_model_of_another_feature_set_is_a_clear_error(train, tmp_path, change):
    folder = fit_gbm(train, END, PARAMS).save(tmp_path)
    meta = json.loads((folder / METADATA_FILE).read_text())
    if change.pop("reverse", False):
        meta["features"] = meta["features"][::-1]
    meta.update(change)
    (folder / METADATA_FILE).write_text(json.dumps(meta))
    with pytest.raises(IncompatibleModel, match="retrain"):
        load_gbm(folder)
