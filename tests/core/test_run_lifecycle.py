"""One run lifecycle: running -> done / cancelled / failed / blocked, written by the store."""

from __future__ import annotations

import pytest

from core.errors import Cancelled, IrisError
from core.project import RunStatus
from core.redact import MARKER, forget_secrets, register_secret


def _run(project, name="r"):
    return project.create_run(name, "restore")


def test_a_block_that_completes_ends_done(project):
    run = _run(project)
    with project.running(run.id):
        assert project.run(run.id).status == "running"
    assert (project.run(run.id).status, project.run(run.id).error) == ("done", None)


def test_the_block_may_say_how_it_ends(project):
    run = _run(project)
    with project.running(run.id) as ending:
        ending.end(RunStatus.BLOCKED, "blocked-prompt: IMAGE_SAFETY")
    assert (project.run(run.id).status, project.run(run.id).error) == (
        "blocked",
        "blocked-prompt: IMAGE_SAFETY",
    )
    refused = "unknown run status 'finished'; known: pending"
    with pytest.raises(ValueError, match=refused), project.running(run.id) as ending:
        ending.end("finished")
    with pytest.raises(ValueError, match="cannot end 'running'"), project.running(run.id) as end:
        end.end("running")
    assert project.run(run.id).status == "failed"  # a wrong ending is itself a failure


def test_cancel_ends_cancelled_and_propagates(project):
    run = _run(project)
    with pytest.raises(Cancelled), project.running(run.id):
        raise Cancelled()
    assert (project.run(run.id).status, project.run(run.id).error) == (
        "cancelled",
        "cancelled by the user",
    )


def test_an_error_ends_failed_with_type_and_message_redacted(project):
    key = "AIza" + "SyLifecycleKey0123456789abcdefghij"  # key-shaped, built here
    register_secret(key)
    try:
        run = _run(project)
        with pytest.raises(IrisError), project.running(run.id):
            raise IrisError(f"request with {key} refused")
        assert project.run(run.id).status == "failed"
        assert project.run(run.id).error == f"IrisError: request with {MARKER} refused"
        other = _run(project, "r2")
        with pytest.raises(KeyError), project.running(other.id) as ending:
            ending.end("failed", f"first failure quoted {key}")
            raise KeyError("boom")
        assert project.run(other.id).error == "KeyError: 'boom'"  # the exception wins
    finally:
        forget_secrets()


def test_an_ending_error_is_redacted(project):
    key = "AIza" + "SyLifecycleKey0123456789abcdefghij"  # key-shaped, built here
    run = _run(project)
    with project.running(run.id) as ending:
        ending.end("failed", f"every result failed: {key}")
    assert project.run(run.id).error == f"every result failed: {MARKER}"


def test_a_cancelled_restore_run_ends_cancelled(project):
    import threading

    import numpy as np

    from core.methods.runner import restore_images

    image = project.add_image_array(np.full((4, 4, 3), 0.5, np.float32), name="x", kind="imported")
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        restore_images(project.path, [image.id], "gamma", cancel=cancel)
    (run,) = project.runs()
    assert (run.kind, run.status, run.error) == ("restore", "cancelled", "cancelled by the user")
