"""The project store: a folder with ``iris.db`` (SQLite, WAL) and content-addressed images."""

from core.paths import DB_NAME, is_project
from core.project.records import IMAGE_KINDS, RUN_STATUSES, ImageRecord, ResultRecord, RunRecord
from core.project.store import Project

__all__ = [
    "DB_NAME",
    "IMAGE_KINDS",
    "RUN_STATUSES",
    "ImageRecord",
    "Project",
    "ResultRecord",
    "RunRecord",
    "is_project",
]
