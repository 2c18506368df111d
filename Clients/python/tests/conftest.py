"""Test setup: import ``quotearchive`` from this checkout without installing it.

``python3 -m pytest -q Clients/python/tests`` from the repository root works as is. The
server tests start a real ``quoted`` from ``$QUOTED_BINARY`` (default: ``.build/debug/quoted``
under the repository root) and skip, saying why, when it is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest

TESTS = Path(__file__).resolve().parent
PACKAGE_ROOT = TESTS.parent
for path in (PACKAGE_ROOT, TESTS):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from quotedprocess import QuotedServer, quoted_binary  # noqa: E402


@pytest.fixture(scope="session")
def quoted_path() -> Path:
    """The ``quoted`` binary, or a skip that says how to provide one."""
    binary = quoted_binary()
    if binary is None:
        pytest.skip(
            "no quoted binary: build it (swift build) or set QUOTED_BINARY to its path; "
            "server tests skipped, vector tests still run")
    return binary


@pytest.fixture(scope="module")
def server(quoted_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[QuotedServer]:
    """A fresh, empty ``quoted`` for the module (``--no-seed``, ``--fsync never``)."""
    with QuotedServer(quoted_path, tmp_path_factory.mktemp("quoted"), "--no-seed", "--fsync", "never") as running:
        yield running


@pytest.fixture
def fresh_server(quoted_path: Path, tmp_path: Path) -> Iterator[QuotedServer]:
    """An empty ``quoted`` of the test's own, for tests that kill it or need it empty."""
    with QuotedServer(quoted_path, tmp_path / "server", "--no-seed", "--fsync", "never") as running:
        yield running
