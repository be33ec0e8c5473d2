"""Restorers and editors: the method registry, classical baselines, spandrel models, Gemini.

``METHODS`` maps a name to a :class:`~core.methods.base.Method`; entries are
imported lazily so listing names never imports OpenCV, torch or google-genai.
"""

from core.methods.base import (
    Method,
    MethodContext,
    MethodFailed,
    MethodOutput,
    Param,
    ParamError,
    parse_param_strings,
)
from core.methods.registry import METHODS, get_method, method_names

__all__ = [
    "METHODS",
    "Method",
    "MethodContext",
    "MethodFailed",
    "MethodOutput",
    "Param",
    "ParamError",
    "get_method",
    "method_names",
    "parse_param_strings",
]
