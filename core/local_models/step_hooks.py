"""How IRIS sees each denoising step of a pipeline: for progress, and to cancel between steps.

Most diffusers pipelines call ``callback_on_step_end`` after every step. Some
(``LongCatImageEditPipeline``) take no callback; their loop calls the scheduler's
``step`` once per denoising step, so IRIS wraps that method on the pipeline's own
scheduler for the length of one call and removes the wrapper afterwards.

Each hook is a context manager ``hook(pipe, on_step)`` yielding the keyword arguments
the pipeline call needs; ``on_step(index)`` is called after step ``index`` (from 0) and
may raise :class:`core.errors.Cancelled` to stop the pipeline before its next step.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

OnStep = Callable[[int], None]


@contextmanager
def callback_hook(_pipe, on_step: OnStep) -> Iterator[dict]:
    """The pipeline's ``callback_on_step_end``: called with the step index after each step."""

    def callback(_pipe, index: int, _timestep, tensors: dict) -> dict:
        on_step(index)
        return tensors

    yield {"callback_on_step_end": callback}


@contextmanager
def scheduler_hook(pipe, on_step: OnStep) -> Iterator[dict]:
    """The scheduler's ``step``, counted: for pipelines whose loop takes no callback."""
    scheduler = pipe.scheduler
    step = scheduler.step  # the class's method, bound to this scheduler
    count = 0

    def counted_step(*args, **kwargs):
        nonlocal count
        out = step(*args, **kwargs)
        count += 1
        on_step(count - 1)
        return out

    scheduler.step = counted_step  # an instance attribute shadows the class's method
    try:
        yield {}
    finally:
        vars(scheduler).pop("step", None)  # the cached pipeline's scheduler is left as it was


STEP_HOOKS = {"callback": callback_hook, "scheduler": scheduler_hook}
