"""Metric tests run with an empty weights folder and downloads refused, like an offline user."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def empty_weights(tmp_path_factory, monkeypatch):
    folder = tmp_path_factory.mktemp("weights")
    monkeypatch.setenv("IRIS_WEIGHTS_DIR", str(folder))
    monkeypatch.delenv("IRIS_ALLOW_DOWNLOADS", raising=False)
    return folder


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
