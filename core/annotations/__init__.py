"""Annotations: flagged infidelity regions, their taxonomy, storage, exchange and agreement.

Operations take an open :class:`~core.project.Project`; see ``store`` (create,
update, delete, undo/redo, review marks), ``exchange`` (CSV / JSON / COCO),
``agreement`` (Cohen's and Fleiss' kappa) and ``summary`` (counts).
"""

from core.annotations.model import Annotation
from core.annotations.store import (
    AnnotationError,
    add,
    annotations,
    delete,
    mark_reviewed,
    redo,
    reviewed_images,
    undo,
    update,
)

__all__ = [
    "Annotation",
    "AnnotationError",
    "add",
    "annotations",
    "delete",
    "mark_reviewed",
    "redo",
    "reviewed_images",
    "undo",
    "update",
]
