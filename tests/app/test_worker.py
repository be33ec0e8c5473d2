"""The compute worker: progress, cancel within 200 ms of the next progress point, errors reach the GUI."""

from __future__ import annotations

import threading
import time

import pytest

from app.worker import ComputeWorker, running_workers
from core.jobs import check_cancelled


def counting_job(steps: int, delay: float, *, progress, cancel):
    for i in range(steps):
        time.sleep(delay)
        progress(i + 1, steps)
    return {"steps": steps, "thread": threading.current_thread().name}


def failing_job(*, progress, cancel):
    progress(1, 2)
    raise ValueError("model file is corrupt: bad magic number")


def test_job_reports_progress_and_result_off_the_gui_thread(qtbot, worker):
    handle = worker.submit(counting_job, 5, 0.06, name="count")
    reports = []
    handle.progress.connect(lambda d, t: reports.append((d, t)))
    with qtbot.waitSignal(handle.succeeded, timeout=5000) as blocker:
        pass
    assert blocker.args[0]["steps"] == 5
    assert blocker.args[0]["thread"] != threading.current_thread().name
    assert reports and reports[-1] == (5, 5)
    assert handle.state == "done"


def test_cancel_stops_the_job_at_its_next_progress_point(qtbot, worker):
    reached = threading.Event()
    stopped_at = {}

    def slow_job(*, progress, cancel):
        for i in range(1000):
            reached.set()
            time.sleep(0.1)  # one unit of work
            try:
                progress(i, 1000)
            except BaseException:
                stopped_at["t"] = time.monotonic()
                raise

    handle = worker.submit(slow_job, name="slow")
    assert reached.wait(5)
    time.sleep(0.05)
    cancelled_at = time.monotonic()
    handle.cancel()
    with qtbot.waitSignal(handle.cancelled, timeout=2000):
        pass
    assert handle.state == "cancelled"
    # the next progress point comes at most one unit (0.1 s) later; it must stop right there
    assert stopped_at["t"] - cancelled_at < 0.1 + 0.2


def test_a_job_that_polls_cancel_stops_too(qtbot, worker):
    def polling_job(*, progress, cancel):
        while True:
            time.sleep(0.01)
            check_cancelled(cancel)

    handle = worker.submit(polling_job)
    qtbot.wait(50)
    handle.cancel()
    with qtbot.waitSignal(handle.finished, timeout=1000) as blocker:
        pass
    assert blocker.args == ["cancelled"]


def test_exception_reaches_the_gui_with_traceback(qtbot, worker):
    handle = worker.submit(failing_job, name="load model")
    with qtbot.waitSignal(handle.failed, timeout=5000) as blocker:
        pass
    message, trace = blocker.args
    assert message == "ValueError: model file is corrupt: bad magic number"
    assert "failing_job" in trace and "Traceback" in trace
    assert handle.error == message and handle.state == "failed"


def test_jobs_run_one_at_a_time_in_order(qtbot, worker):
    log = []

    def job(tag, *, progress, cancel):
        log.append(("start", tag))
        time.sleep(0.05)
        log.append(("end", tag))

    handles = [worker.submit(job, tag) for tag in "abc"]
    with qtbot.waitSignal(handles[-1].finished, timeout=5000):
        pass
    assert log == [(e, t) for t in "abc" for e in ("start", "end")]


def test_a_queued_job_cancelled_before_it_starts_never_runs(qtbot, worker):
    ran = []
    first = worker.submit(counting_job, 3, 0.05)
    second = worker.submit(lambda *, progress, cancel: ran.append(1))
    second.cancel()
    with qtbot.waitSignal(second.cancelled, timeout=5000):
        pass
    assert first.state == "done"  # jobs run in order: the first finished before the second's turn
    assert ran == []


def test_shutdown_cancels_and_waits(qapp):
    worker = ComputeWorker()
    started = threading.Event()

    def endless(*, progress, cancel):
        started.set()
        while True:
            time.sleep(0.01)
            progress(0, 1)

    worker.submit(endless)
    assert started.wait(5)
    assert worker.shutdown(5000)
    assert not worker.is_running() and worker not in running_workers()
    with pytest.raises(RuntimeError, match="shut down"):
        worker.submit(endless)


def test_device_is_resolved_on_the_worker(qtbot, worker):
    with qtbot.waitSignal(worker.device_changed, timeout=60_000) as blocker:
        worker.set_device("cpu")
    assert blocker.args[0].name == "cpu" and worker.device_name == "cpu"


def test_prepare_compute_resolves_the_device_then_builds_a_metric_on_the_worker(qtbot, worker):
    from core.metrics import engine

    device, warm = worker.prepare_compute("cpu")
    qtbot.waitUntil(lambda: warm.is_finished, timeout=120_000)
    assert device.state == "done" and worker.device_name == "cpu"
    assert warm.state == "done" and warm.result is True
    assert any(key[0] == "psnr" and key[1] == "cpu" for key in engine._BUILT)
