"""Make the README's compare-view screenshots with the real main window on the sample project.

Run: ``QT_QPA_PLATFORM=offscreen IRIS_DATA_DIR=/tmp/iris-shots IRIS_CONFIG_DIR=/tmp/iris-cfg
python resources/screenshots/make_compare_screenshots.py`` (writes ``compare-*.png`` here).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def shrink(path: Path, limit: int = 300_000) -> None:
    """Keep a README screenshot under ``limit`` bytes (palette PNG when the full one is larger)."""
    from PIL import Image

    if path.stat().st_size <= limit:
        return
    image = Image.open(path).convert("RGB")
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def main() -> int:
    sys.path.insert(0, str(HERE.parents[1]))
    from app.gui import application, prepare_qt_environment

    prepare_qt_environment(headless_ok=True)
    app = application()
    from app.main_window import MainWindow
    from app.settings import Settings
    from app.worker import ComputeWorker
    from core.sample_project import ensure_sample_project

    worker = ComputeWorker()
    window = MainWindow(Settings(), worker)
    window.resize(1400, 860)
    window.show()
    window.open_project(ensure_sample_project())
    view = window.show_view("compare")
    images = {record.name: record for record in window.project.images()}

    def settle() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            app.processEvents()
            if not view.loading:
                break
            time.sleep(0.02)
        for _ in range(5):
            app.processEvents()

    def shoot(name: str) -> None:
        settle()
        path = HERE / f"compare-{name}.png"
        window.grab().save(str(path))
        shrink(path)
        print(path, path.stat().st_size // 1024, "KiB")

    def show(names: list[str]) -> None:
        view.set_records([images[n] for n in names])
        settle()

    compare = view.compare
    compare.set_crop(None)  # the sample project may remember a crop from an earlier run
    # Side by side: a 512 px input and its 256 px (x2 smaller) version, aligned, at 4x.
    show(["bricks", "bricks (x2 downscale)", "text", "text (gaussian blur)"])
    compare.set_mode("side")
    compare.set_view(3.0, (0.36, 0.42))
    shoot("side")
    # Pixel values inside pixels at high zoom.
    compare.set_view(56.0, (0.5, 0.52))
    shoot("pixels")
    # Swipe between the text and its blurred version.
    show(["text", "text (gaussian blur)"])
    compare.set_mode("swipe")
    compare.set_swipe_pair(0, 1)
    compare.set_view(2.2, (0.42, 0.45))
    compare.set_swipe_position(0.5)
    shoot("swipe")
    # Difference: JPEG error of the gradient, absolute and signed, with the colour bar.
    show(["gradient", "gradient (JPEG q10)"])
    compare.set_mode("difference")
    compare.set_reference(0)
    compare.set_diff_mode("absolute")
    compare.set_diff_scale(8.0)
    compare.fit()
    shoot("difference")
    compare.set_diff_mode("signed")
    compare.set_diff_scale(12.0)
    compare.set_view(4.0, (0.5, 0.5))
    shoot("difference-signed")
    # Flicker: the second view shows the reference while Space is held.
    show(["fabric", "fabric (gaussian noise)"])
    compare.set_mode("side")
    compare.set_reference(0)
    compare.set_view(3.0, (0.5, 0.5))
    compare.select_view(1)
    compare.set_flicker(True)
    shoot("flicker")
    compare.set_flicker(False)
    # Exposure: +2 EV on the dark gradient corner.
    show(["gradient", "gradient (JPEG q10)"])
    compare.set_levels(exposure=2.5)
    compare.set_crop([330, 360, 64, 48])
    compare.set_view(3.0, (0.66, 0.74))
    shoot("exposure")
    compare.set_levels()
    compare.set_crop(None)
    window.close()
    worker.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
