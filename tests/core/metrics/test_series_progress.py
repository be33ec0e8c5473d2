"""collect_series counts images: its progress never runs backwards nor past the total, and
``compute=False`` reads stored scores only."""

from __future__ import annotations

from core.metrics.series import collect_series
from tests.core.metrics.make_runs import build_iterative_project


def test_progress_is_monotonic_and_bounded_and_stored_only_computes_nothing(tmp_path):
    build_iterative_project(tmp_path / "p", runs=3, steps=6, size=24).close()
    seen: list[tuple[int, int]] = []
    stored = collect_series(
        tmp_path / "p", ["jpeg-replicate"], ["entropy", "psnr"], reference="input",
        device="cpu", compute=False,
    )  # fmt: skip
    assert all(v is None for s in stored for vs in s.values.values() for v in vs)
    collect_series(
        tmp_path / "p", ["jpeg-replicate"], ["entropy", "psnr"], reference="input",
        device="cpu", progress=lambda d, t: seen.append((d, t)),
    )  # fmt: skip
    total = 3 * 7
    assert seen and all(t == total for _d, t in seen)
    done = [d for d, _t in seen]
    assert done == sorted(done) and max(done) == total and min(done) >= 0
    again = collect_series(
        tmp_path / "p", ["jpeg-replicate"], ["entropy"], device="cpu", compute=False
    )
    assert all(v is not None for s in again for v in s.values["entropy"])
