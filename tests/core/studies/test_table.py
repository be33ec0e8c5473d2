"""Tables over a generated study equal the statistics computed by hand from the known values."""

from __future__ import annotations

import csv
import io
import json
import statistics

import numpy as np
import pytest

from core.studies.bootstrap import bootstrap_ci
from core.studies.facts import MISSING, StudyError, read_facts
from core.studies.formats import render
from core.studies.table import TableSpec, build_table, project_table
from tests.core.studies.make_study import (
    METHODS,
    PER_SCENE,
    PROMPTS,
    SCENES,
    build_study,
    niqe_value,
    psnr_value,
)

RESTORED = {"kind": ["restored"]}


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    return build_study(tmp_path_factory.mktemp("study") / "p")


def by_label(table):
    return {row.label: table.cells[r] for r, row in enumerate(table.rows)}


def test_method_by_metric_equals_mean_sd_n_by_hand(study):
    spec = TableSpec(["method"], ["psnr", "niqe"], stats=["mean", "sd", "n"], where=RESTORED)
    table = project_table(study.path, spec, reference="clean")
    cells = by_label(table)
    assert [c.label for c in table.columns] == ["psnr", "niqe"]
    for m, method in enumerate(METHODS):
        for c, fn in enumerate((psnr_value, niqe_value)):
            values = [
                fn(m, p, s, k)
                for p in range(len(PROMPTS))
                for s in range(len(SCENES))
                for k in range(PER_SCENE)
            ]
            stats = cells[(method,)][c].stats
            assert stats["n"] == 24
            assert stats["mean"] == pytest.approx(statistics.fmean(values), abs=1e-12)
            assert stats["sd"] == pytest.approx(statistics.stdev(values), abs=1e-12)
            assert cells[(method,)][c].without == {}


def test_rows_by_prompt_and_tag_with_prompt_group_subtotals(study):
    spec = TableSpec(["prompt"], ["psnr"], where=RESTORED, subtotals="prompt_group", total=True)
    table = project_table(study.path, spec, reference="input")
    labels = [row.label for row in table.rows]
    assert labels == [
        ("L", "L1"), ("L", "Avg"), ("S", "S1"), ("S", "Avg"),
        ("SF", "SF1"), ("SF", "Avg"), ("All", ""),
    ]  # fmt: skip
    every = [
        psnr_value(m, p, s, k)
        for m in range(2)
        for p in range(3)
        for s in range(2)
        for k in range(PER_SCENE)
    ]
    assert table.cells[-1][0].stats["mean"] == pytest.approx(statistics.fmean(every))
    sf = [psnr_value(m, 1, s, k) for m in range(2) for s in range(2) for k in range(PER_SCENE)]
    assert by_label(table)[("SF", "Avg")][0].stats["mean"] == pytest.approx(statistics.fmean(sf))

    spec = TableSpec(["scene", "method"], ["niqe"], stats=["mean", "n"], where=RESTORED)
    cells = by_label(project_table(study.path, spec))
    face_nano = [niqe_value(1, p, 1, k) for p in range(3) for k in range(PER_SCENE)]
    assert cells[("face", "nano")][0].stats == {
        "mean": pytest.approx(statistics.fmean(face_nano)),
        "n": 12,
    }


def test_columns_by_a_key_and_where_filters(study):
    spec = TableSpec(
        ["prompt"], ["psnr"], cols="method", where={"kind": ["restored"], "scene": ["text"]}
    )
    table = project_table(study.path, spec, reference="clean")
    assert [c.label for c in table.columns] == ["psnr hypir", "psnr nano"]
    cells = by_label(table)
    assert cells[("L1",)][1].stats["mean"] == pytest.approx(
        statistics.fmean(psnr_value(1, 2, 0, k) for k in range(PER_SCENE))
    )
    assert len(cells[("L1",)][1].image_ids) == PER_SCENE
    either = TableSpec(["method"], ["psnr"], where={"prompt": ["S1", "L1"]})
    cells = by_label(project_table(study.path, either, reference="clean"))
    assert cells[("nano",)][0].stats["mean"] == pytest.approx(
        statistics.fmean(
            psnr_value(1, p, s, k) for p in (0, 2) for s in range(2) for k in range(PER_SCENE)
        )
    )


def test_bootstrap_interval_is_seeded_stable_and_brackets_the_mean(study):
    values = np.array(
        [psnr_value(0, p, s, k) for p in range(3) for s in range(2) for k in range(4)]
    )
    first = bootstrap_ci(values, seed=7)
    assert first == bootstrap_ci(values, seed=7)
    assert first != bootstrap_ci(values, seed=8)
    assert first[0] < values.mean() < first[1]
    rng = np.random.default_rng(7)
    means = values[rng.integers(0, values.size, size=(1000, values.size))].mean(axis=1)
    assert first == pytest.approx(tuple(np.percentile(means, [2.5, 97.5])))
    spec = TableSpec(["method"], ["psnr"], stats=["ci95"], where=RESTORED, seed=7)
    table = project_table(study.path, spec, reference="clean")
    assert by_label(table)[("hypir",)][0].stats["ci95"] == first
    assert "seed 7" in " ".join(table.notes()) and "1000 resamples" in " ".join(table.notes())


def test_a_missing_score_is_reported_per_cell_never_dropped(tmp_path):
    study = build_study(tmp_path / "p", skip_niqe=(1, 0, 0, 2))
    spec = TableSpec(["method", "prompt"], ["niqe"], stats=["n"], where=RESTORED)
    table = project_table(study.path, spec)
    cell = by_label(table)[("nano", "S1")][0]
    assert cell.stats["n"] == 7 and cell.missing == [study.outputs[(1, 0, 0, 2)]]
    assert table.missing_total() == 1
    md = render(table, "md")
    assert "niqe missing" in md and "1 missing" in md
    # without a filter the inputs (never scored) are counted too, as missing
    unfiltered = project_table(study.path, TableSpec(["kind"], ["niqe"], stats=["n"]))
    assert by_label(unfiltered)[("imported",)][0].without == {MISSING: list(study.inputs.values())}


def test_full_reference_needs_a_ref_and_inputs_have_no_clean_reference(study):
    with pytest.raises(StudyError, match="psnr: full-reference, give --ref"):
        read_facts(study.path, ["psnr"])
    table = project_table(study.path, TableSpec(["kind"], ["psnr"]), reference="clean")
    assert by_label(table)[("imported",)][0].without == {
        "no reference": sorted(study.inputs.values())
    }
    # restore outputs have no step 1: no stored score stands for one
    table = project_table(study.path, TableSpec(["kind"], ["psnr"]), reference="step1")
    assert set(by_label(table)[("restored",)][0].without) == {"no reference"}


def test_unknown_keys_stats_and_metrics_are_one_line_errors(study):
    facts = read_facts(study.path, ["niqe"])
    with pytest.raises(StudyError, match="key 'methd': not one of method"):
        build_table(facts, TableSpec(["methd"], ["niqe"]))
    with pytest.raises(StudyError, match="--stat avg: choose from mean"):
        build_table(facts, TableSpec(["method"], ["niqe"], stats=["avg"]))
    with pytest.raises(StudyError, match="metric 'nope'"):
        read_facts(study.path, ["nope"])


def test_every_format_carries_the_same_numbers(study):
    spec = TableSpec(
        ["method"], ["psnr", "niqe"], stats=["mean", "sd", "n", "ci95"], where=RESTORED
    )
    table = project_table(study.path, spec, reference="clean")
    mean = table.cells[1][0].stats["mean"]
    rows = list(csv.reader(io.StringIO(render(table, "csv"))))
    assert rows[0][:6] == [
        "method",
        "psnr mean",
        "psnr sd",
        "psnr n",
        "psnr ci95 low",
        "psnr ci95 high",
    ]
    assert rows[2][0] == "nano" and float(rows[2][1]) == mean and rows[2][3] == "24"
    data = json.loads(render(table, "json"))
    assert data["rows"][1]["cells"][0]["stats"]["mean"] == mean
    assert len(data["rows"][1]["cells"][0]["image_ids"]) == 24 and data["seed"] == 0
    md = render(table, "md")
    assert f"| nano | **{mean:.3f}** |" in md  # psnr: higher is better, nano is higher
    hypir_niqe = table.cells[0][1].stats["mean"]
    assert table.cells[1][1].stats["mean"] < hypir_niqe  # niqe: lower is better -> nano
    latex = render(table, "latex")
    assert "\\begin{tabular}{lrrrrrrrr}" in latex and f"\\textbf{{{mean:.3f}}}" in latex
    assert "\\toprule" in latex and "% ci95: percentile bootstrap" in latex


def test_hostile_labels_are_escaped(tmp_path):
    study = build_study(tmp_path / "p")
    from core.project import Project

    with Project.open(study.path) as project:
        project.set_tags(list(study.inputs.values()), {"scene": "=cmd|a&b_%"})
    table = project_table(study.path, TableSpec(["scene"], ["niqe"], where=RESTORED))
    assert "'=cmd|a&b_%" in render(table, "csv")
    assert "=cmd\\|a&b_%" in render(table, "md")
    assert "=cmd|a\\&b\\_\\%" in render(table, "latex")
