# open3d loads its compiled core (cpu or cuda flavour) by name at import time.
from PyInstaller.utils.hooks import collect_data_files, collect_dynamic_libs, collect_submodules

hiddenimports = [
    m
    for m in collect_submodules("open3d")
    if ".ml." not in m and "visualization.tensorboard" not in m
]
binaries = collect_dynamic_libs("open3d")
datas = collect_data_files("open3d", excludes=["**/examples/**"])
