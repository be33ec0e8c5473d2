"""Per-run series on an iterative run group: gaps and Friedman from the stored scores."""

from __future__ import annotations

import pytest
from scipy.stats import friedmanchisquare

from core.errors import IrisError
from core.metrics.series import collect_series, expand_runs, friedman_of, gaps_of
from core.project import Project
from tests.core.metrics.make_runs import build_iterative_project


@pytest.fixture(scope="module")
def chains(tmp_path_factory):
    path = tmp_path_factory.mktemp("series") / "p"
    build_iterative_project(path, runs=3, steps=20, size=48).close()
    series = collect_series(
        path, ["jpeg-replicate"], ["psnr", "entropy"], reference="input", device="cpu"
    )
    return path, series


def test_group_expands_to_its_runs_and_steps_line_up(chains):
    path, series = chains
    assert [s.run for s in series] == ["replicate-0-1", "replicate-0-2", "replicate-0-3"]
    assert all(s.keys == list(range(21)) and s.image == "input0.png" for s in series)
    # step 0 is the input itself: no PSNR against itself; every later step has one
    assert all(s.values["psnr"][0] is None or s.values["psnr"][0] > 60 for s in series)
    assert all(v is not None for s in series for v in s.values["psnr"][1:])
    with Project.open(path) as project, pytest.raises(IrisError, match="no run or run group"):
        expand_runs(project, ["nope"])


def test_gaps_equal_hand_normalization_of_the_stored_scores(chains):
    _, series = chains
    gaps = gaps_of(series, ["psnr", "entropy"])
    for s, chain in zip(series, gaps["psnr"].chains, strict=True):
        v = s.by_key("psnr")
        for step in (5, 10, 20):  # psnr range [0, 40], higher better: norm = 2.5 * value
            assert chain.deltas[step] == pytest.approx(2.5 * v[step] - 2.5 * v[1])
        assert chain.fails == any(2.5 * (v[i] - v[1]) > 0 for i in (5, 10, 20))
    entropy = gaps["entropy"].chains[0]
    v = series[0].by_key("entropy")  # entropy range [0, 8]: norm = 12.5 * value
    assert entropy.deltas[20] == pytest.approx(12.5 * (v[20] - v[1]))


def test_friedman_across_repeated_runs_equals_scipy(chains):
    _, series = chains
    result = friedman_of(series, "entropy")
    columns = [[s.by_key("entropy")[k] for k in range(1, 21)] for s in series]
    expected = friedmanchisquare(*columns)
    assert result.blocks == 20 and result.treatments == 3
    assert result.statistic == pytest.approx(expected.statistic)
    assert result.p_value == pytest.approx(expected.pvalue)
