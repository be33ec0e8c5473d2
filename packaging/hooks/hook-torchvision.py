# torchvision >= 0.26 ships its operators as _C_stable.so (and image_stable.so), loaded
# with torch.ops.load_library from its own folder, so they must sit in torchvision/ of the
# build; the contributed hook still asks for torchvision._C, which no longer exists.
from pathlib import Path

from PyInstaller.utils.hooks import get_package_paths

_, package_dir = get_package_paths("torchvision")
binaries = [(str(path), "torchvision") for path in Path(package_dir).glob("*.so")]
# Source files too: TorchScript and the operator registrations read them.
module_collection_mode = "pyz+py"
