"""numpy <-> QImage conversions (QImage is built on the GUI thread or copied before use)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QImage

if TYPE_CHECKING:
    import numpy as np


def rgb_to_qimage(pixels: np.ndarray) -> QImage:
    """A deep-copied QImage of an (H, W, 3) uint8 or float [0, 1] array."""
    import numpy as np

    if pixels.dtype != np.uint8:
        from core.pixels import to_uint8

        pixels = to_uint8(pixels)
    pixels = np.ascontiguousarray(pixels[..., :3])
    height, width = pixels.shape[:2]
    image = QImage(pixels.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    return image.copy()


def qimage_to_rgb(image: QImage) -> np.ndarray:
    """An (H, W, 3) uint8 copy of any QImage (widget grabs, exports)."""
    import numpy as np

    image = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    buffer = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height)
    return buffer.reshape(height, stride)[:, : width * 3].reshape(height, width, 3).copy()
