"""core.dataset imports none of Qt, torch, pyiqa, ray or pyarrow until a job needs them."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["PySide6", "torch", "pyiqa", "ray", "pyarrow", "pandas"]


def test_dataset_modules_import_light():
    code = (
        "import sys, json\n"
        "import core.dataset, core.dataset.ray_engine, core.dataset.local_engine, "
        "core.dataset.importer, core.dataset.metric_adapter, app.commands.score_dataset, "
        "app.commands.results\n"
        f"print(json.dumps({{m: m in sys.modules for m in {HEAVY!r}}}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {name: False for name in HEAVY}
