"""The Annotate view's rating mode: a blind 0-5 score per image per rater (seed 000's user study).

When on, the queue is the chosen set in a seeded random order, the image is
shown without its name or method (the title says only "Image k of n"), the
browser does not follow, flags are not drawn; keys 0-5 store the annotator's
score and show the next image, Backspace goes back. Beside it: each method's
mean, sd and score distribution (``widgets.rating_chart``), updated as scores
are stored.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout, QWidget

from widgets.rating_chart import RatingChart

if TYPE_CHECKING:
    from app.annotate_view import AnnotateView
    from core.project import ImageRecord

SEED_KEY = "annotations/rating_seed"


def blind_order(images: list[ImageRecord], seed: int) -> list[ImageRecord]:
    """The images in a random order that depends only on ``seed`` and the images' ids."""
    ordered = sorted(images, key=lambda image: image.id)
    random.Random(seed).shuffle(ordered)
    return ordered


class RatingMode(QWidget):
    """The rating switch, the order's seed and the per-method summary, for one Annotate view."""

    def __init__(self, view: AnnotateView) -> None:
        super().__init__()
        self.view = view
        self.toggle = QCheckBox("Rate images 0-5 (blind)")
        self.toggle.setToolTip("score each image 0 (worst) to 5 (best) with the keys 0-5")
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(int(view._qsettings.value(SEED_KEY, 0) or 0))
        self.seed.setToolTip("the random order of the images depends only on this seed")
        self.score_label = QLabel("")
        self.score_label.setStyleSheet("font-weight: bold;")
        self.help = QLabel("0-5: rate and show the next image; Backspace: back; N / P: move")
        self.help.setWordWrap(True)
        self.chart = RatingChart()
        self.details = QWidget()
        form = QFormLayout()
        form.addRow("Order seed", self.seed)
        form.addRow("Your score", self.score_label)
        inner = QVBoxLayout(self.details)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(form)
        inner.addWidget(self.help)
        inner.addWidget(QLabel("Ratings per method"))
        inner.addWidget(self.chart, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(self.details, 1)
        self.details.setVisible(False)
        self.toggle.toggled.connect(self._on_toggled)
        self.seed.valueChanged.connect(self._on_seed)

    @property
    def active(self) -> bool:
        return self.toggle.isChecked()

    def _on_toggled(self, on: bool) -> None:
        self.details.setVisible(on)
        self.view.set_rating_mode(on)

    def _on_seed(self, value: int) -> None:
        self.view._qsettings.setValue(SEED_KEY, value)
        if self.active:
            self.view.rebuild_queue()
            self.view.go_to(0)

    def order(self, images: list[ImageRecord]) -> list[ImageRecord]:
        return blind_order(images, self.seed.value())

    def refresh(self) -> None:
        """The current image's stored score and the per-method summary."""
        from core.studies.ratings import method_summary

        view = self.view
        if view.project is None:
            self.score_label.setText("")
            self.chart.show_summary([])
            return
        mine = {r["image_id"]: r["score"] for r in view.project.ratings(view.annotator)}
        current = view.current
        score = mine.get(current.id) if current is not None else None
        self.score_label.setText("not rated" if score is None else str(score))
        self.chart.show_summary(method_summary(view.project))

    def rate(self, score: int) -> None:
        """Store the annotator's ``score`` for the shown image, then show the next one."""
        from core.errors import IrisError

        view = self.view
        if not self.active or view.current is None or view.project is None:
            return
        try:
            view.project.put_rating(view.current.id, view.annotator, score)
        except IrisError as exc:
            view.status_label.setText(f"Not saved: {exc}")
            return
        view.status_label.setText(f"Rated {score}")
        if view.index < len(view.queue) - 1:
            view.go_to(view.index + 1)
        else:
            view._update_progress()
            self.refresh()

    def title(self) -> tuple[str, str]:
        """(title, progress) of the shown image without its name: "Image k of n"."""
        view = self.view
        mine = {r["image_id"] for r in view.project.ratings(view.annotator)}
        done = sum(1 for image in view.queue if image.id in mine)
        here = "rated" if view.current.id in mine else "not rated"
        total = len(view.queue)
        return (
            f"Image {view.index + 1} of {total} (blind): {here}",
            f"{view.index + 1} of {total}  ({done} rated)",
        )
