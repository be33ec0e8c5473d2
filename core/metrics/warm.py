"""Warm the metric library on the compute thread while the user is still looking around.

Building the first pyiqa metric imports pyiqa, torchvision and torch's compiler stack
(about 5-7 s of imports here). Parts of an import hold Python's GIL in C code (loading
extension modules, unmarshalling large modules), and while they do the GUI thread cannot
run: the window froze for up to 0.7 s when the first *Score* did that work. IRIS does it
once at start, on the worker, right after the device is resolved, so that scoring later
only computes. A failure here is not the user's business yet: scoring reports it properly.
"""

from __future__ import annotations

import logging
import threading

from core.jobs import check_cancelled

WARM_METRIC = "psnr"  # needs no weights and builds in milliseconds once imported

log = logging.getLogger(__name__)


def warm_up_metrics(device: str, *, progress=None, cancel: threading.Event | None = None) -> bool:
    """Import the metric stack and build one cheap metric on ``device``; True when it worked."""
    check_cancelled(cancel)
    try:
        from core.metrics.engine import load_metric

        load_metric(WARM_METRIC, device)
    except Exception as exc:  # noqa: BLE001 - a missing or broken pyiqa shows when scoring
        log.info("metric warm-up skipped: %s", exc)
        return False
    return True
