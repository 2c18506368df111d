"""Tokens against a real quoted: the AUTH exchange of PROTOCOL.md §5 from Python."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from quotearchive import Client, Quote
from quotearchive.errors import ServerError

from quotedprocess import QuotedServer


def add_token(quoted_path: Path, data_dir: Path, name: str, role: str) -> str:
    result = subprocess.run(
        [str(quoted_path), "token", "add", name, "--role", role, "--data", str(data_dir)],
        capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_tokens_roles_and_a_wrong_secret(quoted_path: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "server"
    writer = add_token(quoted_path, data_dir, "py-writer", "write")
    reader = add_token(quoted_path, data_dir, "py-reader", "read")
    with QuotedServer(quoted_path, data_dir, "--no-seed") as server:
        with pytest.raises(ServerError) as missing:
            Client(server.host, server.port, timeout=5, token="")
        assert missing.value.code == 403
        with Client(server.host, server.port, timeout=5, token=writer) as client:
            added = client.add(Quote("Verify, then trust.", "Python Test"))
        with Client(server.host, server.port, timeout=5, token=reader) as client:
            assert client.get(added.id).quote.text == "Verify, then trust."
            with pytest.raises(ServerError) as denied:
                client.add(Quote("Not allowed.", "Python Test"))
            assert denied.value.code == 405
        forged = writer.split(":")[0] + ":" + "00" * 32
        with pytest.raises(ServerError) as failed:
            Client(server.host, server.port, timeout=5, token=forged)
        assert failed.value.code == 404
