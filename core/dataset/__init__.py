"""Dataset-scale scoring: many images x many metrics, in-process or on a Ray cluster.

``discovery`` finds the images (a folder tree or a project) and their references,
``scoring`` is the batch function both engines run, ``results`` keeps the rows
(resumable, crash-safe part files), ``local_engine`` and ``ray_engine`` drive
the batches, ``importer`` brings a results file into a project.
"""

from __future__ import annotations

from core.dataset.discovery import DatasetItem, discover
from core.dataset.job import DatasetJob, JobSummary, run_job

__all__ = ["DatasetItem", "DatasetJob", "JobSummary", "discover", "run_job"]
