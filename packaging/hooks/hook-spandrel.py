# spandrel registers every architecture it knows at import time; collect them all.
from PyInstaller.utils.hooks import collect_submodules

hiddenimports = collect_submodules("spandrel")
