"""Keep triton out of the window process: its bundled LLVM crashes the process next to Mesa's.

Once a Qt OpenGL surface exists on a Mesa desktop (the Depth and 3D view, or anything that
builds it), Mesa's libLLVM is loaded. The first ``import triton`` afterwards loads
``triton/_C/libtriton.so`` with its own LLVM, and its static initialisers segfault: the window
vanishes without a message. Nothing IRIS does needs triton: it comes in only because
``torchvision.ops`` (so ``torchvision.models``, pyiqa, spandrel) imports ``torch._dynamo.utils``,
which probes ``import triton`` at import time. IRIS never calls ``torch.compile``, and torch's
optional triton kernels for CUDA fall back to its own kernels when triton is absent.

So the window process makes ``import triton`` fail as "not installed" (``sys.modules["triton"]
= None``, documented Python behaviour) before the QApplication exists. This holds for every
order of user actions, unlike loading torch early on the compute worker, which would race the
first GL surface and cost startup time. Torch then reports triton absent
(``torch.utils._triton.has_triton()`` is false, ``importlib.util.find_spec("triton")`` is None).

``IRIS_ALLOW_TRITON=1`` lets triton in, for someone experimenting with ``torch.compile`` on a
machine without Mesa GL; on a Mesa desktop it brings the crash back.
"""

from __future__ import annotations

import os
import sys

ALLOW_ENV = "IRIS_ALLOW_TRITON"


def block_triton() -> bool:
    """Make ``import triton`` fail cleanly from now on; True when triton is kept out.

    A triton already imported stays (it was loaded before any GL surface, which is safe);
    ``IRIS_ALLOW_TRITON=1`` skips the block.
    """
    if os.environ.get(ALLOW_ENV) == "1":
        return triton_blocked()
    if sys.modules.get("triton", None) is not None:
        return False
    sys.modules["triton"] = None  # type: ignore[assignment]
    return True


def triton_blocked() -> bool:
    """Whether ``import triton`` is blocked in this process."""
    return "triton" in sys.modules and sys.modules["triton"] is None
