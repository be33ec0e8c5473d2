"""Opening a project and listing it loads neither sqlite-utils, numpy nor pandas
(core/project/database.py, core/project/_sqlite_utils.py); the first table insert loads
sqlite-utils still without numpy or pandas, both stay importable afterwards, and the
store writes with or without them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CODE = r"""
import json, sys
from core.project import Project
project = Project.create(sys.argv[1], name="light")
listed = [project.images(), project.runs(), project.methods(), project.meta()]
opened = {name: name in sys.modules for name in ("sqlite_utils", "numpy", "pandas", "PIL")}
method = project.ensure_method("identity", "classical")
before = {name: name in sys.modules for name in ("sqlite_utils", "numpy", "pandas", "PIL")}
import numpy as np  # importable again once the store is loaded
record = project.add_image_array(np.zeros((4, 5, 3), np.float32), name="black", kind="imported")
again = project.ensure_method("second", "classical")
print(json.dumps({"opened": opened, "before": before, "method": method, "again": again,
                  "image": [record.width, record.height], "numpy": np.__name__}))
"""


def test_the_store_opens_and_lists_without_numpy_or_pandas(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", CODE, str(tmp_path / "p")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    assert facts["opened"] == {"sqlite_utils": False, "numpy": False, "pandas": False, "PIL": False}
    assert facts["before"] == {"sqlite_utils": True, "numpy": False, "pandas": False, "PIL": False}
    assert facts["image"] == [5, 4]
    assert facts["numpy"] == "numpy"
    assert facts["again"] == facts["method"] + 1


def test_the_hidden_modules_are_refused_only_to_the_importing_thread():
    import threading

    from core.project._sqlite_utils import _RefuseOnThisThread

    finder = _RefuseOnThisThread(threading.get_ident())
    for name in ("numpy", "numpy.linalg", "pandas"):
        with pytest.raises(ModuleNotFoundError, match=name):
            finder.find_spec(name)
    assert finder.find_spec("numbers") is None  # not hidden: the next finder decides
    elsewhere = []
    thread = threading.Thread(target=lambda: elsewhere.append(finder.find_spec("numpy")))
    thread.start()
    thread.join()
    assert elsewhere == [None]  # another thread importing numpy meanwhile gets it
