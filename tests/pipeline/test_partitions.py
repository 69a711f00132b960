"""The pure rules of what a run computes."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nbaprops.pipeline.partitions import (
    PartitionRecord,
    Reason,
    ReprocessMode,
    affected_downstream,
    compress_dates,
    contiguous_batches,
    expected_dates,
    partition_reason,
)

D = [dt.date(2024, 10, 22) + dt.timedelta(days=i) for i in range(0, 40, 2)]
DONE = PartitionRecord("done", "tf1", "in1")


def reason(record, tf="tf1", inp="in1", mode=ReprocessMode.MISSING):
    return partition_reason(record, transform_fingerprint=tf, input_fingerprint=inp, mode=mode)


def test_done_and_fresh_is_not_planned():
    assert reason(DONE) is None


def test_missing_stale_and_failed_partitions():
    assert reason(None) is Reason.MISSING
    assert reason(DONE, tf="tf2") is Reason.STALE_CODE
    assert reason(DONE, inp="in2") is Reason.STALE_INPUT
    failed = PartitionRecord("failed", "tf1", None)
    assert reason(failed) is None  # default mode: failed partitions wait for --retry-failed
    assert reason(failed, mode=ReprocessMode.FAILED) is Reason.FAILED
    assert reason(failed, tf="tf2") is Reason.STALE_CODE  # ... unless the code changed since they failed
    failed_seeing = PartitionRecord("failed", "tf1", "in1")
    assert reason(failed_seeing) is None  # same inputs as when it failed: nothing new to try
    assert reason(failed_seeing, inp="in2") is Reason.STALE_INPUT  # ... or its inputs changed (e.g. a fixed gate)
    assert reason(DONE, mode=ReprocessMode.ALL) is Reason.FORCED
    assert reason(PartitionRecord("skipped", None, None)) is Reason.MISSING


def test_expected_dates_skip_bootstrap_and_respect_an_explicit_list():
    boot = set(D[:3])
    assert expected_dates(D, is_bootstrap=boot.__contains__, skip_bootstrap=True) == D[3:]
    assert expected_dates(D, is_bootstrap=boot.__contains__, skip_bootstrap=False) == D
    assert expected_dates(D, is_bootstrap=boot.__contains__, skip_bootstrap=True, only=frozenset({D[1], D[5]})) == [
        D[5]
    ]


def test_batches_are_contiguous_bounded_and_never_cross_seasons():
    assert contiguous_batches(D[:5], D, 2) == [D[0:2], D[2:4], D[4:5]]
    assert contiguous_batches([D[0], D[1], D[3]], D, 10) == [[D[0], D[1]], [D[3]]]
    spring, autumn = dt.date(2025, 4, 13), dt.date(2025, 10, 21)
    assert contiguous_batches([spring, autumn], [spring, autumn], 10) == [[spring], [autumn]]
    with pytest.raises(ValueError):
        contiguous_batches(D, D, 0)


@given(st.lists(st.sampled_from(D), unique=True), st.integers(1, 7))
def test_batches_partition_the_dates(dates, size):
    batches = contiguous_batches(dates, D, size)
    assert sorted(d for b in batches for d in b) == sorted(dates)
    assert all(1 <= len(b) <= size for b in batches)
    assert all(b == sorted(b) for b in batches)


def test_downstream_dates_follow_the_lookback():
    changed = [D[5]]
    assert affected_downstream(changed, D, lookback="same_date") == [D[5]]
    assert affected_downstream(changed, D, lookback="season") == D[5:]
    next_season = [dt.date(2025, 10, 21), dt.date(2025, 11, 1)]
    assert affected_downstream(changed, D + next_season, lookback="season") == D[5:]
    assert affected_downstream([], D, lookback="season") == []


def test_compress_dates_reads_like_ranges():
    assert compress_dates([D[0], D[1], D[2], D[5]], D) == f"{D[0]}..{D[2]}, {D[5]}"


def test_gates_reach_every_ancestor_with_the_widest_lookback(tmp_path):
    from nbaprops.pipeline.gates import upstream_lookbacks
    from nbaprops.pipeline.transform import Transform

    def t(name, inputs, lookback):
        return Transform(name=name, phase="analytics", inputs=inputs, keys=("k",), sql_file=tmp_path / "x.sql",
                         lookback=lookback)  # fmt: skip

    transforms = {
        x.name: x
        for x in (
            t("analytics.a", ("raw.shots",), "same_date"),
            t("analytics.b", ("analytics.a",), "same_date"),
            t("analytics.c", ("analytics.b",), "season"),
            t("analytics.d", ("analytics.b", "analytics.c"), "same_date"),
        )
    }
    assert upstream_lookbacks(transforms["analytics.b"], transforms) == {"analytics.a": "same_date"}
    assert upstream_lookbacks(transforms["analytics.c"], transforms) == {
        "analytics.b": "season",
        "analytics.a": "season",
    }
    # d reads b on its own date, but through c it reaches the whole season of b and a
    assert upstream_lookbacks(transforms["analytics.d"], transforms) == {
        "analytics.b": "season", "analytics.c": "same_date", "analytics.a": "season",
    }  # fmt: skip
