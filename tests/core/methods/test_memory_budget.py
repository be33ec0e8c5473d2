"""Memory near the pixel limit: refused up front with the estimate, MemoryError a failed row.

Nothing here allocates gigabytes: the available figure is patched or stated
with IRIS_MAX_MEMORY, and MemoryError is raised by a stand-in method.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.imageio import encode_png
from core.methods import memory, runner
from core.methods.base import Method, MethodOutput
from core.methods.memory import Available, memory_shortfall
from core.methods.runner import restore_images
from core.project import Project

GIB = 2**30


def add(project, side: int, name: str):
    seed = side * 1000 + sum(map(ord, name))  # distinct content: the store deduplicates files
    pixels = np.random.default_rng(seed).uniform(0, 1, (side, side, 3)).astype(np.float32)
    return project.add_image_bytes(encode_png(pixels), name=name, kind="imported")


def test_an_image_at_the_pixel_limit_under_a_12_gib_cap_is_refused_with_the_estimate(
    monkeypatch,
):
    monkeypatch.setattr(memory, "available_memory", lambda: Available(12 * GIB, "the cgroup limit"))
    message = memory_shortfall("classical", 16_000, 16_000)
    assert message is not None
    for part in ("out of memory", "16000 x 16000", "256 MP", "14.3 GiB", "12.0 GiB", "cgroup"):
        assert part in message, message
    assert memory_shortfall("classical", 4000, 4000) is None
    monkeypatch.setattr(memory, "available_memory", lambda: None)  # unknown: never refuse
    assert memory_shortfall("classical", 16_000, 16_000) is None


def test_estimates_grow_with_pixels_and_a_models_scale():
    assert memory.estimate_bytes("classical", 200, 100) == 2 * memory.estimate_bytes(
        "classical", 100, 100
    )
    assert memory.estimate_bytes("model", 100, 100, scale=4) > 8 * memory.estimate_bytes(
        "model", 100, 100
    )
    assert memory.estimate_bytes("editor", 100, 100) < memory.estimate_bytes("classical", 100, 100)


def test_sizes_parse_and_print():
    assert memory.parse_size("12G") == 12 * GIB
    assert memory.parse_size("1.5GiB") == GIB * 3 // 2
    assert memory.parse_size(" 4096 ") == 4096
    assert memory.parse_size("lots") is None and memory.parse_size("-1G") is None
    assert memory.format_size(3 * 2**20) == "3.0 MiB" and memory.format_size(12) == "12 B"


def test_the_tightest_readable_limit_wins(monkeypatch):
    monkeypatch.setattr(memory, "_meminfo", lambda: Available(20 * GIB, "free memory"))
    monkeypatch.setattr(memory, "_cgroup", lambda: Available(11 * GIB, "the cgroup limit"))
    monkeypatch.setattr(memory, "_address_space", lambda: None)
    assert memory.available_memory() == Available(11 * GIB, "the cgroup limit")
    monkeypatch.setenv("IRIS_MAX_MEMORY", "2G")
    assert memory.available_memory() == Available(2 * GIB, "IRIS_MAX_MEMORY")
    monkeypatch.setenv("IRIS_MAX_MEMORY", "nonsense")  # ignored, not fatal
    assert memory.available_memory().source == "the cgroup limit"


def test_the_real_machine_reports_some_figure():
    found = memory.available_memory()
    assert found is not None and found.bytes > 0  # Linux: /proc/meminfo at least


def test_cgroup_v2_and_v1_files_are_read(monkeypatch, tmp_path):
    v2, v1 = tmp_path / "v2", tmp_path / "v1"
    v2.mkdir(), v1.mkdir()
    (v2 / "memory.max").write_text("1000000\n")
    (v2 / "memory.current").write_text("700000\n")
    (v2 / "memory.stat").write_text("anon 500000\ninactive_file 200000\n")
    monkeypatch.setattr(memory, "_cgroup_paths", lambda: [v2])
    assert memory._cgroup() == Available(500_000, "the cgroup limit")
    (v2 / "memory.max").write_text("max\n")  # no limit here: look further up
    (v1 / "memory.limit_in_bytes").write_text("3000000\n")
    (v1 / "memory.usage_in_bytes").write_text("1000000\n")
    monkeypatch.setattr(memory, "_cgroup_paths", lambda: [v2, v1])
    assert memory._cgroup() == Available(2_000_000, "the cgroup limit")
    (v1 / "memory.limit_in_bytes").write_text("9223372036854771712\n")  # v1's "unlimited"
    assert memory._cgroup() is None


def test_an_address_space_limit_counts(monkeypatch):
    import resource

    monkeypatch.setattr(resource, "getrlimit", lambda which: (64 * GIB, resource.RLIM_INFINITY))
    found = memory._address_space()
    assert found.source == "ulimit -v" and 0 < found.bytes < 64 * GIB


def test_restore_refuses_too_large_inputs_before_loading_them(project, monkeypatch):
    small, large = add(project, 8, "small"), add(project, 64, "large")
    loaded = []
    original = Project.load_pixels
    monkeypatch.setattr(
        Project, "load_pixels", lambda self, rec: loaded.append(rec.name) or original(self, rec)
    )
    monkeypatch.setenv("IRIS_MAX_MEMORY", "100K")  # 8 x 8 fits, 64 x 64 does not
    results = restore_images(project.path, [large.id, small.id], "gamma", repeat=2)
    assert [(r.input, r.status) for r in results] == [
        ("large", "failed"), ("large", "failed"), ("small", "ok"), ("small", "ok"),
    ]  # fmt: skip
    assert loaded == ["small"]
    error = results[0].error
    assert "64 x 64" in error and "needs about" in error and "100.0 KiB" in error
    assert "IRIS_MAX_MEMORY" in error
    rows = project.results(results[0].run_id)
    assert len(rows) == 4 and rows[0].meta["reason"] == "out-of-memory"
    assert project.run(results[0].run_id).status == "done"  # the small image went through


def hungry_method(failure: BaseException) -> Method:
    calls = []

    def run(pixels, params, *, progress, cancel, context):
        calls.append(1)
        if len(calls) == 1:
            raise failure
        return MethodOutput(pixels)

    return Method("hungry", "classical", "Hungry", "raises on its first call", (), run)


@pytest.mark.parametrize(
    "failure",
    [
        MemoryError("Unable to allocate 2.86 GiB for an array"),
        RuntimeError("DefaultCPUAllocator: not enough memory: you tried to allocate 3 GB"),
    ],
)
def test_running_out_of_memory_in_a_method_is_a_failed_row(project, monkeypatch, failure):
    first, second = add(project, 8, "first"), add(project, 8, "second")
    monkeypatch.setattr(runner, "get_method", lambda name: hungry_method(failure))
    results = restore_images(project.path, [first.id, second.id], "hungry")
    assert [r.status for r in results] == ["failed", "ok"]
    assert results[0].error.startswith("out of memory: ")
    assert type(failure).__name__ in results[0].error
    (row, _ok) = project.results(results[0].run_id)
    assert row.status == "failed" and row.meta["reason"] == "out-of-memory"


def test_an_unexpected_error_is_not_mistaken_for_memory(project, monkeypatch):
    image = add(project, 8, "only")
    monkeypatch.setattr(runner, "get_method", lambda name: hungry_method(RuntimeError("a bug")))
    with pytest.raises(RuntimeError, match="a bug"):
        restore_images(project.path, [image.id], "hungry")
    (run,) = project.runs()
    assert run.status == "failed" and run.error == "RuntimeError: a bug"


def test_memory_error_loading_or_storing_is_a_failed_row(project, monkeypatch):
    image = add(project, 8, "only")

    def no_memory(*args, **kwargs):
        raise MemoryError()

    with monkeypatch.context() as patch:
        patch.setattr(Project, "load_pixels", no_memory)
        (result,) = restore_images(project.path, [image.id], "gamma")
    assert result.status == "failed" and result.error.startswith("out of memory loading only")
    with monkeypatch.context() as patch:
        patch.setattr(Project, "add_image_array", no_memory)
        (result,) = restore_images(project.path, [image.id], "gamma")
    assert result.status == "failed" and "storing the output" in result.error
    assert len(project.results(result.run_id)) == 1


def test_an_unreadable_input_is_a_failed_row_not_an_abort(project):
    broken, fine = add(project, 8, "broken"), add(project, 8, "fine")
    project.image_path(broken).write_bytes(b"\x89PNG\r\n\x1a\n not really")
    results = restore_images(project.path, [broken.id, fine.id], "gamma")
    assert [r.status for r in results] == ["failed", "ok"]
    assert "broken" in results[0].error
