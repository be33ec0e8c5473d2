"""The project store: a folder with ``iris.db`` (SQLite, WAL) and content-addressed images.

Only this package (and each package's own store module for its tables, such as
:mod:`core.annotations.store`) writes SQL; everyone else calls :class:`Project`.
"""

from core.paths import DB_NAME, is_project
from core.project.kinds import ImageKind, MethodKind, ResultStatus, RunKind, RunStatus
from core.project.records import ImageRecord, ResultRecord, RunRecord
from core.project.store import Project

__all__ = [
    "DB_NAME",
    "ImageKind",
    "ImageRecord",
    "MethodKind",
    "Project",
    "ResultRecord",
    "ResultStatus",
    "RunKind",
    "RunRecord",
    "RunStatus",
    "is_project",
]
