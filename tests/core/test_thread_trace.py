"""core/thread_trace.py: a thread not started by ``threading`` gets the threading hooks."""

from __future__ import annotations

import _thread
import sys
import threading

from core.thread_trace import follow_tracer


def _in_raw_thread(fn):
    """Run ``fn`` in a thread started below ``threading`` (as Qt starts its threads)."""
    done = threading.Event()
    out = {}

    def body():
        try:
            out["value"] = fn()
        finally:
            done.set()

    _thread.start_new_thread(body, ())
    assert done.wait(10)
    return out["value"]


def traced_work():
    return 41 + 1


def test_a_raw_thread_gets_the_trace_and_profile_hooks(monkeypatch):
    seen = []

    def trace(frame, event, arg):
        seen.append(("trace", frame.f_code.co_name))
        return None

    def profile(frame, event, arg):
        if event == "call":
            seen.append(("profile", frame.f_code.co_name))

    previous_trace, previous_profile = threading.gettrace(), threading.getprofile()
    threading.settrace(trace)
    threading.setprofile(profile)
    try:

        def without():
            return sys.gettrace(), sys.getprofile()

        assert _in_raw_thread(without) == (None, None)  # what Qt's threads got before

        def with_follow():
            follow_tracer()
            hooks = sys.gettrace() is trace, sys.getprofile() is profile
            traced_work()
            sys.settrace(None)
            sys.setprofile(None)
            return hooks

        assert _in_raw_thread(with_follow) == (True, True)
    finally:
        threading.settrace(previous_trace)
        threading.setprofile(previous_profile)
    assert ("trace", "traced_work") in seen
    assert ("profile", "traced_work") in seen


def test_without_hooks_nothing_is_installed_and_an_own_tracer_is_kept():
    def own(frame, event, arg):
        return None

    def check():
        follow_tracer()
        first = sys.gettrace()
        sys.settrace(own)
        follow_tracer()
        kept = sys.gettrace() is own
        sys.settrace(None)
        return first, kept

    previous = threading.gettrace()
    threading.settrace(None)
    try:
        first, _ = _in_raw_thread(check)
        assert first is None
        threading.settrace(lambda *a: None)
        _, kept = _in_raw_thread(check)
        assert kept
    finally:
        threading.settrace(previous)


def test_adopt_installs_only_a_hook_that_exists_into_a_thread_without_one():
    from core.thread_trace import adopt

    installed = []
    assert adopt(lambda: "hook", lambda: None, installed.append) is True
    assert adopt(lambda: None, lambda: None, installed.append) is False
    assert adopt(lambda: "hook", lambda: "own", installed.append) is False
    assert installed == ["hook"]
