# pyiqa finds its architectures and losses by scanning its folders for *_arch.py
# files, so its sources must exist on disk next to the compiled archive.
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

hiddenimports = collect_submodules("pyiqa")
datas = collect_data_files("pyiqa")
module_collection_mode = "pyz+py"
