"""The memory budget of one restore: an estimate per image, and what the machine can give.

An image at the pixel limit (256 MP) is 3 GB per float32 RGB copy, and a
method holds several copies at once (input, output, the clipped output, its
own working set). Rather than dying with MemoryError half-way, the runner asks
:func:`memory_shortfall` before loading the image and stores a failed result
saying how much was needed and how much was available. The available figure is
the smallest of: ``IRIS_MAX_MEMORY`` (a budget the user states, bytes or with a
K/M/G suffix), the address-space limit (``ulimit -v``), the cgroup limit (the
container's cap) and the kernel's MemAvailable; when none can be read (no
/proc, no psutil), the check is skipped and MemoryError is still caught.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

GIB = 2**30
BUDGET_ENV = "IRIS_MAX_MEMORY"
UNLIMITED = 2**60  # cgroup v1 writes ~2**63 for "no limit"
FLOAT_RGB_BYTES = 3 * 4

# Float32 RGB image-sized buffers alive at a method's peak, input and output included.
PEAK_COPIES = {"classical": 5.0, "editor": 2.0, "imported": 3.0}


def peak_copies(kind: str, scale: int = 1) -> float:
    """Image-sized float32 buffers at the peak; a model's tiled output grows with scale squared.

    A model holds the input twice (the array and its channels-first tensor) and,
    while blending, the output accumulator, its weights, the division, the
    clamp and the channels-last copy (about three outputs at once).
    """
    if kind == "model":
        return 2.0 + 3.0 * scale * scale
    return PEAK_COPIES.get(kind, 5.0)


def estimate_bytes(kind: str, width: int, height: int, scale: int = 1) -> int:
    """Bytes a method of ``kind`` needs at its peak for a ``width`` x ``height`` image."""
    return int(width * height * FLOAT_RGB_BYTES * peak_copies(kind, scale))


@dataclass(frozen=True)
class Available:
    """How many bytes can still be allocated, and which limit says so."""

    bytes: int
    source: str


def _read_int(path: str | Path) -> int | None:
    try:
        text = Path(path).read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _stat_value(path: Path, key: str) -> int:
    try:
        for line in path.read_text(encoding="ascii", errors="replace").splitlines():
            name, _, value = line.partition(" ")
            if name == key and value.strip().isdigit():
                return int(value)
    except OSError:
        pass
    return 0


def parse_size(text: str) -> int | None:
    """``"12G"``, ``"512M"``, ``"1048576"`` -> bytes; None when it is not a size."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?\s*", text, re.IGNORECASE)
    if not match:
        return None
    factor = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}[match.group(2).upper()]
    return int(float(match.group(1)) * factor)


def _budget() -> Available | None:
    raw = os.environ.get(BUDGET_ENV, "")
    size = parse_size(raw) if raw else None
    return Available(size, BUDGET_ENV) if size else None


def _meminfo() -> Available | None:
    try:
        text = Path("/proc/meminfo").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    match = re.search(r"^MemAvailable:\s+(\d+)\s*kB", text, re.MULTILINE)
    return Available(int(match.group(1)) * 1024, "free memory") if match else None


def _cgroup_paths() -> list[Path]:
    """Memory-controller folders of this process: cgroup v2 (unified) and v1."""
    root = Path("/sys/fs/cgroup")
    found: list[Path] = []
    try:
        lines = Path("/proc/self/cgroup").read_text(encoding="ascii", errors="replace")
    except OSError:
        return [root]
    for line in lines.splitlines():
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        rel = parts[2].lstrip("/")
        if parts[0] == "0" and not parts[1]:
            found += [root / rel, root]
        elif "memory" in parts[1].split(","):
            found += [root / "memory" / rel, root / "memory"]
    return found


def _cgroup() -> Available | None:
    for folder in _cgroup_paths():
        limit = _read_int(folder / "memory.max")  # v2 ("max" when unlimited: not an int)
        used = _read_int(folder / "memory.current")
        stat = folder / "memory.stat"
        inactive_key = "inactive_file"
        if limit is None:
            limit = _read_int(folder / "memory.limit_in_bytes")  # v1
            used = _read_int(folder / "memory.usage_in_bytes")
            inactive_key = "total_inactive_file"
        if limit is None or used is None or limit >= UNLIMITED:
            continue
        reclaimable = _stat_value(stat, inactive_key)  # page cache the kernel can drop
        return Available(max(0, limit - max(0, used - reclaimable)), "the cgroup limit")
    return None


def _address_space() -> Available | None:
    try:
        import resource

        soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError):
        return None
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return None
    try:  # "VmSize:\t  1234 kB": the address space this process already uses
        text = Path("/proc/self/status").read_text(encoding="ascii", errors="replace")
        match = re.search(r"^VmSize:\s+(\d+)", text, re.MULTILINE)
        size_kb = int(match.group(1)) if match else 0
    except OSError:
        size_kb = 0
    return Available(max(0, soft - size_kb * 1024), "ulimit -v")


def _psutil() -> Available | None:
    try:
        import psutil
    except ImportError:
        return None
    return Available(int(psutil.virtual_memory().available), "free memory")


def available_memory() -> Available | None:
    """The tightest of the limits that can be read, or None when none can."""
    figures = [f for f in (_budget(), _address_space(), _cgroup(), _meminfo()) if f is not None]
    if not figures and (found := _psutil()) is not None:
        figures.append(found)
    return min(figures, key=lambda f: f.bytes) if figures else None


def format_size(count: int) -> str:
    """Bytes in the largest binary unit that keeps a digit before the point: ``14.3 GiB``."""
    for unit, size in (("GiB", GIB), ("MiB", 2**20), ("KiB", 2**10)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count} B"


def memory_shortfall(kind: str, width: int, height: int, scale: int = 1) -> str | None:
    """Why an image cannot be processed in the memory available, or None when it fits."""
    need = estimate_bytes(kind, width, height, scale)
    available = available_memory()
    if available is None or need <= available.bytes:
        return None
    megapixels = width * height / 1e6
    return (
        f"out of memory: a {width} x {height} image ({megapixels:.0f} MP) needs about "
        f"{format_size(need)} for a {kind} method, but only {format_size(available.bytes)} "
        f"is available ({available.source}); reduce the image or raise the limit"
    )


def is_out_of_memory(exc: BaseException) -> bool:
    """MemoryError, torch's OutOfMemoryError, or the CPU allocator's 'not enough memory'."""
    if isinstance(exc, MemoryError) or type(exc).__name__ == "OutOfMemoryError":
        return True
    text = str(exc).lower()
    return isinstance(exc, RuntimeError) and (
        "not enough memory" in text or "can't allocate memory" in text
    )
