"""Keep the model libraries' own loading bars and import warnings off the user's terminal.

IRIS reports a job's progress itself; diffusers' and transformers' per-component
loading bars, and bitsandbytes' warning that an optional CPU kernel package is absent
(it is imported by the libraries, never used by IRIS), would only bury IRIS's output.
Their warnings and errors still reach the log.
"""

from __future__ import annotations

import logging

_QUIET_LOGGERS = ("bitsandbytes",)


def quiet_model_libraries() -> None:
    """Turn the loaders' bars off; call before importing the pipeline and model classes."""
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    import diffusers.utils.logging as diffusers_logging
    import transformers.utils.logging as transformers_logging

    for library in (diffusers_logging, transformers_logging):
        library.disable_progress_bar()  # their warnings (a wrong checkpoint) still show
