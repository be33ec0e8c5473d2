"""The local-model cache: hits skip the loader, LRU eviction at the byte budget and the CPU
entry count (the accepted edge and the refused one), selective release, the budget from
``IRIS_MODEL_CACHE`` or the GPU's memory, and the byte count of modules and pipelines.
"""

from __future__ import annotations

import sys

import pytest

from core.local_models import cache
from core.local_models.cache import CACHE, CPU_ENTRIES, GPU_FRACTION, LoadedModel, ModelCache

MIB = 2**20


def info(name, size, device="cuda:0"):
    return LoadedModel(name, "editor", device, "float32", size)


@pytest.fixture
def released(monkeypatch):
    """Counts release_memory calls (the GC and CUDA cache flush after an eviction)."""
    calls = []
    monkeypatch.setattr(cache, "release_memory", lambda: calls.append(1))
    return calls


def test_a_hit_returns_the_loaded_value_without_loading_again(released):
    models = ModelCache()
    assert models.get(("k",)) is None
    loads = []

    def loader():
        loads.append(1)
        return {"weights": len(loads)}

    first = models.load(("k",), loader, info("m", MIB, "cpu"))
    assert models.load(("k",), loader, info("m", MIB, "cpu")) is first
    assert models.get(("k",)) is first and loads == [1]
    assert models.loaded() == [info("m", MIB, "cpu")]
    assert released == []  # nothing was evicted


def test_the_byte_budget_is_inclusive(monkeypatch, released):
    monkeypatch.setenv("IRIS_MODEL_CACHE", "8M")
    models = ModelCache()
    models.load(("a",), object, info("a", 4 * MIB))
    models.load(("b",), object, info("b", 4 * MIB))  # 4 + 4 = 8 MiB: fits exactly
    assert [m.name for m in models.loaded()] == ["a", "b"] and released == []
    models.load(("c",), object, info("c", 1))  # one byte over: the oldest goes
    assert [m.name for m in models.loaded()] == ["b", "c"] and released == [1]


def test_a_model_larger_than_the_budget_loads_after_everything_is_released(monkeypatch, released):
    monkeypatch.setenv("IRIS_MODEL_CACHE", "8M")
    models = ModelCache()
    models.load(("a",), object, info("a", 2 * MIB))
    models.load(("b",), object, info("b", 2 * MIB))
    value = models.load(("huge",), lambda: "huge", info("huge", 100 * MIB))
    assert value == "huge" and [m.name for m in models.loaded()] == ["huge"]
    assert released == [1, 1]


def test_on_the_cpu_only_two_models_stay_loaded_whatever_their_size(monkeypatch, released):
    monkeypatch.delenv("IRIS_MODEL_CACHE", raising=False)
    assert CPU_ENTRIES == 2
    models = ModelCache()
    for name in ("a", "b"):
        models.load((name,), object, info(name, 1, "cpu"))
    assert len(models.loaded()) == 2 and released == []
    models.get(("a",))  # a is now the most recently used
    models.load(("c",), object, info("c", 1, "cpu"))
    assert [m.name for m in models.loaded()] == ["a", "c"] and released == [1]
    # On CUDA the count is not a bound: a third small model joins the two.
    models.load(("d",), object, info("d", 1, "cuda:0"))
    assert [m.name for m in models.loaded()] == ["a", "c", "d"]


def test_release_forgets_the_matching_models_only(released):
    models = ModelCache()
    for key in (("editor", "x"), ("editor", "y"), ("vlm", "x")):
        models.load(key, object, info("/".join(key), 1))
    assert models.release(lambda key: key[0] == "nothing") == 0 and released == []
    assert models.release(lambda key: key[0] == "editor") == 2 and released == [1]
    assert [m.name for m in models.loaded()] == ["vlm/x"]
    assert models.release() == 1 and models.loaded() == []


def test_the_module_functions_read_the_shared_cache(released):
    CACHE.load(("test", "m"), object, info("m", 3))
    assert cache.loaded_models() == [info("m", 3)]
    assert cache.release_models() == 1 and cache.loaded_models() == []
    assert cache.release_models() == 0


@pytest.mark.parametrize(
    ("raw", "expected"), [("2G", 2 * 2**30), ("512M", 512 * MIB), ("1048576", 2**20)]
)
def test_a_stated_budget_wins(monkeypatch, raw, expected):
    monkeypatch.setenv("IRIS_MODEL_CACHE", raw)
    assert cache.budget_bytes("cuda:0") == expected
    assert cache.budget_bytes("cpu") == expected


@pytest.mark.parametrize("raw", ["", "0", "lots"])
def test_without_a_usable_budget_the_cpu_is_bounded_by_the_count(monkeypatch, raw):
    monkeypatch.setenv("IRIS_MODEL_CACHE", raw)
    assert cache.budget_bytes("cpu") == 2**62


def test_on_cuda_the_budget_is_a_fraction_of_the_gpu(monkeypatch):
    torch = pytest.importorskip("torch")
    monkeypatch.delenv("IRIS_MODEL_CACHE", raising=False)
    asked = []
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(
        torch.cuda, "mem_get_info", lambda device: asked.append(device) or (3 * 2**30, 10 * 2**30)
    )
    assert cache.gpu_memory("cuda:1") == (3 * 2**30, 10 * 2**30)
    assert asked == [torch.device("cuda:1")]
    assert cache.budget_bytes("cuda:1") == int(10 * 2**30 * GPU_FRACTION)
    assert cache.gpu_memory("cpu") is None  # a CPU device is never asked
    assert len(asked) == 2


def test_without_torch_or_cuda_there_is_no_gpu_memory(monkeypatch):
    torch = pytest.importorskip("torch")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert cache.gpu_memory("cuda:0") is None
    monkeypatch.delitem(sys.modules, "torch")
    assert cache.gpu_memory("cuda:0") is None
    cache.release_memory()  # torch not imported: only the garbage collector runs


def test_release_memory_empties_the_cuda_cache_only_with_cuda(monkeypatch):
    torch = pytest.importorskip("torch")
    emptied = []
    monkeypatch.setattr(torch.cuda, "empty_cache", lambda: emptied.append(1))
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    cache.release_memory()
    assert emptied == []
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    cache.release_memory()
    assert emptied == [1]


def test_model_bytes_counts_parameters_and_buffers():
    torch = pytest.importorskip("torch")
    linear = torch.nn.Linear(3, 4)  # 12 weights + 4 biases, float32
    assert cache.model_bytes(linear) == 16 * 4
    norm = torch.nn.BatchNorm1d(5)  # weight, bias, mean, var (float32) + an int64 counter
    assert cache.model_bytes(norm) == 20 * 4 + 8


def test_model_bytes_of_a_pipeline_sums_its_modules_only():
    torch = pytest.importorskip("torch")

    class Pipeline:
        components = {
            "transformer": torch.nn.Linear(3, 4),
            "vae": torch.nn.Linear(2, 2).half(),  # 6 numbers, 2 bytes each
            "tokenizer": object(),
            "scheduler": None,
        }

    assert cache.model_bytes(Pipeline()) == 16 * 4 + 6 * 2
