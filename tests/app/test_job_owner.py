"""The GUI's one job owner: a new job cancels the last, stale results never arrive, partial
results travel on the handle, and what a job changed is announced when it ends."""

from __future__ import annotations

import threading
import time

from app.job_owner import JobOwner
from app.session import ProjectChange, ProjectSession


def slow_job(value, *, progress, cancel, on_item=None, seconds: float = 0.0):
    for i in range(3):
        if on_item is not None:
            on_item((value, i))
        progress(i, 3)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if cancel.is_set():
                from core.errors import Cancelled

                raise Cancelled()
            time.sleep(0.01)
    return value


def test_partial_results_arrive_in_order_before_the_result(qtbot, worker):
    owner = JobOwner(worker)
    items, done = [], []
    handle = owner.start(
        slow_job, "a", name="slow", on_partial=items.append, on_done=done.append,
        partial_to="on_item",
    )  # fmt: skip
    with qtbot.waitSignal(handle.finished, timeout=10_000):
        pass
    assert items == [("a", 0), ("a", 1), ("a", 2)] and done == ["a"]
    assert not owner.busy


def test_a_new_job_cancels_the_last_and_its_result_is_dropped(qtbot, worker):
    owner = JobOwner(worker)
    done, finished = [], []
    first = owner.start(
        slow_job, "first", name="first", seconds=5.0, on_done=done.append,
        on_finished=finished.append,
    )  # fmt: skip
    qtbot.waitUntil(lambda: first.state == "running", timeout=5000)
    second = owner.start(slow_job, "second", name="second", on_done=done.append)
    with qtbot.waitSignal(second.finished, timeout=10_000):
        pass
    assert first.state == "cancelled" and second.state == "done"
    assert done == ["second"] and finished == []  # nothing of the first reached the owner


def test_the_session_hears_what_the_job_changed_even_when_cancelled(qtbot, worker):
    session = ProjectSession()
    heard = []
    session.changed.connect(lambda what, source: heard.append((what, source)))
    owner = JobOwner(worker, session)
    handle = owner.start(slow_job, "x", name="writes", seconds=5.0, changes=ProjectChange.IMAGES)
    qtbot.waitUntil(lambda: handle.state == "running", timeout=5000)
    owner.cancel()
    with qtbot.waitSignal(handle.finished, timeout=10_000):
        pass
    assert heard == [(ProjectChange.IMAGES, owner)]


def test_failures_reach_only_the_current_job_callback(qtbot, worker):
    owner = JobOwner(worker)
    messages = []

    def broken(*, progress, cancel):
        from core.errors import IrisError

        raise IrisError("the input is not an image")

    handle = owner.start(broken, name="broken", on_failed=messages.append)
    with qtbot.waitSignal(handle.finished, timeout=10_000):
        pass
    assert messages == ["the input is not an image"]
    assert threading.active_count() >= 1


def test_a_job_started_after_shutdown_is_dropped(qapp):
    from app.worker import ComputeWorker

    worker = ComputeWorker()
    assert worker.shutdown(10_000)
    owner = JobOwner(worker)
    assert owner.start(slow_job, 1, name="late timer") is None
    assert not owner.busy
