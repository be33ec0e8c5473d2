"""The main window: the project browser, the central views, projects, imports and errors.

Its menus are app/main_menus.py, the status bar's job corner app/job_status.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.context import ViewContext
from app.job_owner import JobOwner
from app.job_status import JobStatus
from app.main_menus import bind_shortcuts, build_menus
from app.session import ProjectChange, ProjectSession
from app.settings import Settings
from app.views import VIEWS, ordered_view_names
from app.worker import ComputeWorker, JobHandle
from core.errors import IrisError
from core.redact import redact

if TYPE_CHECKING:  # built after the window is shown (build_browser)
    from app.project_browser import ProjectBrowser


class MainWindow(QMainWindow):
    """IRIS's one window. It wires widgets to core; it computes nothing itself."""

    def __init__(
        self,
        settings: Settings,
        worker: ComputeWorker,
        *,
        build_first_view: bool = True,
        complete: bool = True,
    ) -> None:
        """``build_first_view=False`` leaves even the first tab's view to be built on first use
        (``current_view()``); ``complete=False`` leaves the project dock and the menus'
        shortcuts to :meth:`complete`. The start shows the window first and does both just
        after: the dock's modules and Qt's enums (which the first key sequence or dock area
        initialises) are a third of the time to a shown window."""
        super().__init__()
        self.settings = settings
        self.worker = worker
        self.project = None  # core.project.Project, imported with the first project
        self._owners: dict[str, JobOwner] = {}
        self.last_error: str | None = None
        self.setWindowTitle("IRIS")
        self.setAcceptDrops(True)
        self.resize(1400, 860)

        self.browser: ProjectBrowser | None = None  # the project dock: build_browser()

        # Views are built when first shown, so their modules (and numpy, pyqtgraph, ...)
        # load after the window is on screen; each tab holds an empty page until then.
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.views: dict[str, QWidget] = {}
        self._pages: dict[str, QWidget] = {}
        self._selection: list = []
        self.session = ProjectSession(self)
        self.session.changed.connect(self._on_project_changed)
        self.jobs = JobOwner(worker, self.session, self)  # the window's own jobs (imports)
        self._context = ViewContext(
            worker=worker,
            settings=settings,
            show_status=self.show_status,
            session=self.session,
            selection=lambda: list(self._selection),
            select=lambda images: self.build_browser().select_images(images),
        )
        for name in ordered_view_names():
            page = QWidget()
            QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
            self._pages[name] = page
            self.tabs.addTab(page, VIEWS.meta(name).get("title", name))
        self.tabs.currentChanged.connect(lambda index: self.view(list(self._pages)[index]))
        if build_first_view:
            self.current_view()
        self.setCentralWidget(self.tabs)

        self.job_status = JobStatus(
            self.statusBar(), worker, settings.device,
            report_error=self.report_error, show_status=self.show_status,
        )  # fmt: skip
        status = self.job_status  # the widgets a user (and a test) reaches from the window
        self.device_label, self.job_label = status.device_label, status.job_label
        self.progress, self.cancel_button = status.progress, status.cancel_button
        self.models_label = status.models_label
        self._unbound_keys = build_menus(self, bind_keys=complete)

        if geometry := settings.window_geometry():
            self.restoreGeometry(geometry)
        if complete:
            self.complete()

    def complete(self) -> None:
        """Build what ``complete=False`` left out: the project dock, the menus' shortcuts."""
        self.build_browser()
        bind_shortcuts(self._unbound_keys)
        self._unbound_keys = []

    def build_browser(self) -> ProjectBrowser:
        """The project browser in its dock, built on first call (then the saved dock layout
        is restored: it needs the dock to exist)."""
        if self.browser is not None:
            return self.browser
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QDockWidget

        from app.project_browser import ProjectBrowser

        self.browser = browser = ProjectBrowser()
        self.browser.images_selected.connect(self._on_images_selected)
        self.browser.run_selected.connect(self._on_run_selected)
        dock = QDockWidget("Project", self)
        dock.setObjectName("project-dock")
        dock.setWidget(self.browser)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.resizeDocks([dock], [380], Qt.Orientation.Horizontal)
        dock.show()  # a child added to a window already shown stays hidden otherwise

        browser.set_context(self._context)  # its own jobs: tags, export
        if state := self.settings.window_state():
            self.restoreState(state)
        return browser

    # -- projects ------------------------------------------------------------------------

    def open_project(self, path: str | Path, *, create: bool = False) -> bool:
        """Open (or create) a project; on failure tell the user and keep the current one."""
        from core.project import Project

        try:
            project = Project.open(path, create=create)
        except IrisError as exc:
            self.report_error("Cannot open project", str(exc))
            if not create:
                self.settings.forget_recent_project(path)
            return False
        previous, self.project = self.project, project
        self._selection = []
        self.settings.add_recent_project(project.path)
        self.setWindowTitle(project.name)  # Qt adds the application's name: "name — IRIS"
        self.setWindowFilePath(str(project.path))
        self.build_browser().set_project(project)
        for view in self.views.values():
            if hasattr(view, "set_project"):
                view.set_project(project)  # views may still save state to the previous project here
        if previous is not None:
            previous.close()
        self.show_status(f"Opened {project.path}")
        QTimer.singleShot(0, self._select_first_image)
        return True

    def _select_first_image(self) -> None:
        if self.project is not None and (images := self.project.images()):
            self.build_browser().select_image(images[0].id)

    def open_sample_project(self, *, background: bool = False) -> bool:
        """Open the sample project, building it first if needed.

        With ``background`` a missing sample is built on the compute worker (a few
        seconds) while the window stays live, and opens when it is ready.
        """
        from core.paths import is_project, user_data_dir
        from core.sample_project import SAMPLE_DIR_NAME, ensure_sample_project

        if background and not is_project(user_data_dir() / SAMPLE_DIR_NAME):
            self.show_status("Building the sample project (a few seconds)...", 30_000)
            self.job_owner("sample").start(
                _build_sample_job,
                name="Building the sample project",
                on_done=self.open_project,
                on_failed=lambda message: self.report_error(
                    "Cannot build the sample project", message
                ),
            )
            return True
        try:
            path = ensure_sample_project()
        except (IrisError, OSError) as exc:
            self.report_error("Cannot build the sample project", str(exc))
            return False
        return self.open_project(path)

    def new_project_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "New project folder (empty)")
        if folder:
            self.open_project(folder, create=True)

    def open_project_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open project folder")
        if folder:
            self.open_project(folder)

    # -- importing -----------------------------------------------------------------------

    def import_images_dialog(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            "Import images",
            "",
            "Images (*.png *.jpg *.jpeg *.webp *.bmp *.tif *.tiff);;All files (*)",
        )
        if files:
            self.import_paths(files)

    def import_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of images")
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths: list[str]) -> JobHandle | None:
        """Import files and folders on the compute worker; the browser refreshes when done."""
        if self.project is None:
            self.report_error(
                "No project open", "Open or create a project before importing images."
            )
            return None
        from core.project.importer import import_paths

        return self.jobs.start(
            import_paths,
            self.project.path,
            paths,
            max_pixels=self.settings.max_pixels,
            name="Import",
            on_done=self._on_import_done,
            changes=ProjectChange.IMAGES,
        )

    def _on_import_done(self, report) -> None:
        if report.imported:  # the new images are what the user wants to see next
            self.build_browser().select_images(report.imported)
        text = f"Imported {len(report.imported)} images"
        if report.duplicates:
            text += f", {len(report.duplicates)} already in the project"
        if report.errors:
            text += f", {len(report.errors)} refused"
            listing = "\n".join(message for _path, message in report.errors[:20])
            self.report_error(
                "Some files were not imported", f"{len(report.errors)} files refused:\n{listing}"
            )
        self.show_status(text)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt override)
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # -- views ---------------------------------------------------------------------------

    def view(self, name: str) -> QWidget:
        """The view called ``name``, built (and given the project and selection) on first use."""
        VIEWS.get_name(name)
        if name not in self.views:
            view = VIEWS.get(name)(self._context)
            self._pages[name].layout().addWidget(view)
            self.views[name] = view
            if self.project is not None and hasattr(view, "set_project"):
                view.set_project(self.project)
            if self._selection and hasattr(view, "show_images"):
                view.show_images(self._selection)
        return self.views[name]

    def view_names(self) -> list[str]:
        """The views' names in tab order."""
        return list(self._pages)

    def current_view(self) -> QWidget:
        """The view on the current tab (built on demand)."""
        return self.view(list(self._pages)[self.tabs.currentIndex()])

    def show_view(self, name: str) -> QWidget:
        view = self.view(name)
        self.tabs.setCurrentWidget(self._pages[name])
        return view

    def _on_images_selected(self, images: list) -> None:
        self._selection = images
        for view in self.views.values():
            if hasattr(view, "show_images"):
                view.show_images(images)

    def _on_run_selected(self, run) -> None:
        """An iterative run picked in the browser opens in the Runs view."""
        if run.kind == "iterate" and "runs" in VIEWS:
            self.show_view("runs").show_run(run.name)

    def is_busy(self) -> bool:
        """Whether the browser or a view is still reading or loading (screenshots wait)."""
        return (
            self.browser is None  # not built yet: the start builds it next
            or self.browser.refresh_pending
            or self.browser.grid.loading
            or any(getattr(v, "loading", False) for v in self.views.values())
        )

    # -- jobs and status -----------------------------------------------------------------

    def show_status(self, text: str, timeout_ms: int = 8000) -> None:
        self.statusBar().showMessage(text, timeout_ms)

    def cancel_jobs(self) -> None:
        """Cancel the job the status bar shows (others, queued or running, go on)."""
        self.job_status.cancel_shown_job()

    @property
    def context(self) -> ViewContext:
        """The typed context views and tools use (worker, settings, status, selection, session)."""
        return self._context

    def job_owner(self, key: str) -> JobOwner:
        """The job owner of a tool or dialog (one per ``key``): its new job cancels its last."""
        if key not in self._owners:
            self._owners[key] = JobOwner(self.worker, self.session, self)
        return self._owners[key]

    def _on_project_changed(self, what: ProjectChange, _source: object) -> None:
        if what & (ProjectChange.IMAGES | ProjectChange.RUNS):
            self.build_browser().refresh_soon()

    def report_error(self, title: str, message: str, details: str | None = None) -> None:
        """Show what went wrong without blocking the event loop (the dialog is window-modal).

        Every text is redacted of API keys: messages may quote a failed request.
        """
        title, message = redact(title), redact(message)
        details = redact(details) if details else None
        self.last_error = f"{title}: {message}"
        self.show_status(self.last_error, 15000)
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, self
        )
        if details:
            box.setDetailedText(details)
        from PySide6.QtCore import Qt

        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- dialogs -------------------------------------------------------------------------

    def open_settings_dialog(self) -> None:
        from app.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        before = self.settings.device
        if dialog.exec():
            if self.settings.device != before:  # models on the old device are released there
                from app.loaded_models import release_models_job

                self.worker.submit(release_models_job, name="release models")
            self.worker.set_device(self.settings.device)

    def shortcut_list(self) -> list[tuple[str, str]]:
        """(action, keys) of every shortcut, the views' included (this builds every view)."""
        from app.shortcuts_dialog import action_keys

        for name in self._pages:
            self.view(name)
        return sorted({(text, keys) for keys, text in action_keys(self)})

    def show_shortcuts(self) -> QDialog:
        """Every key of the window and of every view (views are built to read their keys)."""
        from app.shortcuts_dialog import ShortcutsDialog, action_keys, shortcut_rows

        for name in self._pages:
            self.view(name)
        titles = {name: VIEWS.meta(name).get("title", name) for name in self._pages}
        window_keys = action_keys(self.menuBar())  # the window's own: its menus, not the views'
        dialog = ShortcutsDialog(shortcut_rows(window_keys, self.views, titles), self)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        from app.about import AboutDialog

        AboutDialog(self.worker.device, self).exec()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        # Closed before complete(): without its dock the layout is not worth keeping.
        state = self.saveState() if self.browser is not None else self.settings.window_state()
        self.settings.save_window(self.saveGeometry(), state)
        self.settings.sync()
        if self.project is not None:
            self.project.close()
            self.project = None
        super().closeEvent(event)


def _build_sample_job(*, progress, cancel) -> Path:
    """The sample project's folder, built on the compute worker when it is missing."""
    from core.sample_project import ensure_sample_project

    return ensure_sample_project()
