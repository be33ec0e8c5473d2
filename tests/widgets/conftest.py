"""Fixtures for widgets that need a real OpenGL context: an Xvfb server per test module."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


@pytest.fixture(scope="module")
def xvfb_display():
    """Start ``Xvfb`` on a free display (it picks one via -displayfd); yields ``":N"``.

    GL tests render in a subprocess on this display (QT_QPA_PLATFORM=xcb) because
    this pytest process already runs Qt on the offscreen platform, which has no GL.
    """
    binary = shutil.which("Xvfb")
    if binary is None:
        pytest.fail("Xvfb is not installed: run `make sysdeps` (Debian: apt-get install xvfb)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        [binary, "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        pytest.fail(f"Xvfb did not start: {server.stderr.read().decode(errors='replace')[-500:]}")
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(10)
