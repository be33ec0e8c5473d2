"""A real two-node Ray cluster on this machine, started and used with the README's commands.

``ray start --head`` and ``ray start --address`` (one CPU each) start the
cluster, ``iris score --dataset ... --engine ray --address HEAD:PORT`` submits
the job, as a user types them. The worker node is killed mid-job: the job
ends on the head alone, every row once, rows from both nodes, values equal
to ``--engine local``; running the command again computes nothing. Every Ray
process started here is stopped in a ``finally``, even when the test fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from core.dataset.results import ResultsStore, read_rows
from tests.core.dataset.conftest import make_dataset

BIN = Path(sys.executable).parent
N_IMAGES = 300
SIZE = 128  # large enough that the job outlasts the start-up of the second node's actor
STARTED = "Ray runtime started"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environment() -> dict[str, str]:
    """This machine's environment with one fresh Ray token for every node and driver.

    Ray 2.5x turns token authentication on when ``~/.ray/auth_token`` exists; a
    token of the test's own makes the cluster the same whatever that file holds.
    """
    env = dict(os.environ)
    env.update(RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=secrets.token_hex(32))
    env.update(RAY_USAGE_STATS_ENABLED="0", PYTHONUNBUFFERED="1")
    return env


def _start(command: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    with log.open("wb") as out:
        return subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )


def _wait_for(predicate, what: str, timeout: float, processes=()) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        for process in processes:
            if process.poll() is not None:
                raise AssertionError(f"{what}: {process.args[:3]} exited with {process.returncode}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def _stop(processes: list[subprocess.Popen], temp_dir: Path) -> None:
    """Stop the ``ray start --block`` processes (their Ray processes share their fate), then
    anything still naming this cluster's folder or in their process groups."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
    for process in processes:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if str(temp_dir).encode() in cmdline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(entry.name), signal.SIGKILL)


def _nodes(parts_dir: Path) -> set[str]:
    nodes: set[str] = set()
    for part in sorted(parts_dir.glob("part-*.parquet")):
        try:
            nodes.update(row["node"] for row in read_rows(part))
        except Exception:  # noqa: BLE001 - a part being renamed into place; read it next time
            continue
    return nodes


def _values(path: Path) -> dict[tuple[str, str], float]:
    return {(r["relpath"], r["metric"]): r["value"] for r in read_rows(path)}


def test_iris_on_a_two_node_ray_cluster_survives_a_node_kill(tmp_path):
    noisy, clean = make_dataset(tmp_path / "d", n=N_IMAGES, size=SIZE)
    env = _environment()
    temp_dir = Path(tempfile.mkdtemp(prefix="iris-ray-", dir="/tmp"))  # short: socket paths
    port = _free_port()
    head_address = f"127.0.0.1:{port}"
    ray = str(BIN / "ray")
    processes: list[subprocess.Popen] = []
    try:
        # The README's commands: a head, a worker joining it.
        head = _start(
            [ray, "start", "--head", f"--port={port}", "--node-ip-address=127.0.0.1",
             "--num-cpus=1", f"--temp-dir={temp_dir}", "--include-dashboard=false", "--block"],
            tmp_path / "head.log", env,
        )  # fmt: skip
        processes.append(head)
        worker = _start(
            [ray, "start", f"--address={head_address}", "--node-ip-address=127.0.0.1",
             "--num-cpus=1", "--block"],
            tmp_path / "worker.log", env,
        )  # fmt: skip
        processes.append(worker)
        score = [str(BIN / "iris"), "score", "--dataset", str(noisy), "--ref-dir", str(clean)]
        score += ["--metrics", "psnr,ssim", "--batch-size", "4"]
        # The reference, while the cluster starts; one thread, as each Ray actor has.
        local = subprocess.run(
            [*score, "--device", "cpu", "--out", str(tmp_path / "local.parquet")],
            env={**env, "OMP_NUM_THREADS": "1"}, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert local.returncode == 0, local.stderr
        for process, log in ((head, "head.log"), (worker, "worker.log")):
            _wait_for(
                lambda log=log: STARTED in (tmp_path / log).read_text(errors="replace"),
                f"{log} to say '{STARTED}'", 60, [process],
            )  # fmt: skip

        status = [ray, "status", f"--address={head_address}"]
        _wait_for(  # what a user checks before submitting: both nodes' CPUs in the cluster
            lambda: "/2.0 CPU" in subprocess.run(
                status, env=env, capture_output=True, text=True, timeout=60
            ).stdout,
            "ray status to show both nodes", 60,
        )  # fmt: skip
        out = tmp_path / "ray.parquet"
        submit = [*score, "--engine", "ray", "--address", head_address, "--out", str(out)]
        job = _start(submit, tmp_path / "job.log", env)
        processes.append(job)
        parts = ResultsStore(out).parts_dir
        _wait_for(lambda: len(_nodes(parts)) == 2, "rows from both nodes", 90, [job])
        worker.kill()  # the worker node dies mid-job (its raylet and actors share its fate)
        worker.wait(timeout=10)
        assert job.wait(timeout=90) == 0, (tmp_path / "job.log").read_text()
        summary = json.loads((tmp_path / "job.log").read_text().strip().splitlines()[-1])
        planned = N_IMAGES * 2
        assert (summary["rows_written"], summary["errors"]) == (planned, 0), summary

        rows = read_rows(out)
        assert len(rows) == planned and len({(r["relpath"], r["metric"]) for r in rows}) == planned
        assert len({r["node"] for r in rows}) == 2  # rows from every node, none lost or repeated
        assert _values(out) == _values(tmp_path / "local.parquet")

        again = subprocess.run(submit, env=env, capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr
        rerun = json.loads(again.stdout)
        assert (rerun["rows_written"], rerun["rows_skipped"], rerun["rows_total"]) == (
            0,
            planned,
            planned,
        )
        assert _values(out) == _values(tmp_path / "local.parquet")
    finally:
        _stop(processes, temp_dir)
        shutil.rmtree(temp_dir, ignore_errors=True)
