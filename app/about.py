"""Help > About: versions, the compute device and the licences IRIS's users must know."""

from __future__ import annotations

import platform
from importlib import metadata

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from core.device import DeviceInfo
from core.version import __version__

LIBRARIES = (
    "PySide6",
    "torch",
    "torchvision",
    "pyiqa",
    "numpy",
    "pillow",
    "pyqtgraph",
    "open3d",
    "google-genai",
    "sqlite-utils",
    "spandrel",
    "scipy",
    "diffusers",
    "transformers",
    "accelerate",
)

LICENCES_HTML = """
<h3>Licences</h3>
<p><b>IRIS</b> is released under the MIT licence. The bundled sample images were drawn
by IRIS's own script and are CC0.</p>
<p><b>pyiqa</b> (IQA-PyTorch), which IRIS uses for image-quality metrics, is licensed
under the <b>PolyForm Noncommercial License 1.0.0</b> (with NTU S-Lab terms), and the
metric weights it downloads are <b>CC BY-NC-SA 4.0</b>: using IRIS's metrics is limited to
non-commercial purposes unless you obtain other terms from their authors.</p>
<p>Shipped metric parameters: the <b>BRISQUE</b> model is LIVE's (Copyright (c) 2011 The
University of Texas at Austin; cite Mittal, Moorthy and Bovik, "BRISQUE Software Release",
2011, and IEEE TIP 2012), the <b>NIQE</b> parameters BasicSR's (Apache-2.0); see
resources/metrics/NOTICE.md.</p>
<p><b>Local models</b> keep their own licences: FLUX.1 Kontext [dev] is under the FLUX.1 [dev]
<b>Non-Commercial</b> License; FLUX.2 [dev] under the FLUX [dev] <b>Non-Commercial</b>
License; FLUX.2 [klein] 4B and 4B Base are Apache-2.0, its 9B and 9B Base under the FLUX
<b>Non-Commercial</b> License; Qwen-Image-Edit, LongCat-Image-Edit and Qwen2.5-VL / Qwen3-VL
are Apache-2.0;
VisualQuality-R1 follows its base model's terms (see its model card). diffusers,
transformers and accelerate are Apache-2.0.</p>
<p>Other components keep their own licences: Qt for Python (LGPLv3), PyTorch (BSD),
Open3D (MIT), spandrel (MIT), google-genai (Apache-2.0), sqlite-utils (Apache-2.0),
pyqtgraph (MIT), NumPy and SciPy (BSD), Pillow (MIT-CMU).</p>
"""


def library_versions() -> dict[str, str]:
    """Installed versions read from package metadata (nothing is imported)."""
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def local_models_html(device: DeviceInfo | None) -> str:
    """What the compute worker holds loaded (LRU cache) and the GPU memory in use."""
    from core.local_models.cache import gpu_memory, loaded_models
    from core.methods.memory import format_size

    models = loaded_models()
    rows = "".join(
        f"<tr><td>{m.name}</td><td>{m.kind}</td><td>{m.device}</td><td>{m.dtype}</td>"
        f"<td>{format_size(m.bytes)}</td></tr>"
        for m in models
    )
    listing = f"<table cellspacing='6'>{rows}</table>" if models else "<p>No model loaded.</p>"
    name = device.name if device is not None else "cpu"
    memory = gpu_memory(name)
    if memory is None:
        vram = "no GPU in use"
    else:
        free, total = memory
        vram = f"{format_size(total - free)} in use of {format_size(total)}"
    return f"<h3>Local models</h3>{listing}<p>GPU memory: {vram}</p>"


def about_html(device: DeviceInfo | None) -> str:
    rows = "".join(
        f"<tr><td>{name}</td><td>{version}</td></tr>"
        for name, version in library_versions().items()
    )
    device_text = device.label if device else "not resolved yet"
    return (
        f"<h2>IRIS {__version__}</h2><p>Image Restoration Inspection Studio</p>"
        f"<p>Python {platform.python_version()} on {platform.system()} {platform.machine()}<br>"
        f"Compute device: {device_text}</p>"
        f"<table cellspacing='6'>{rows}</table>{local_models_html(device)}{LICENCES_HTML}"
    )


class AboutDialog(QDialog):
    def __init__(self, device: DeviceInfo | None, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About IRIS")
        self.resize(560, 620)
        self.text = QTextBrowser()
        self.text.setHtml(about_html(device))
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
