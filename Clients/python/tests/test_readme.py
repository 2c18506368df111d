"""The README's example runs as written against a real server (only the port differs)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from quotedprocess import QuotedServer

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_example_runs_as_written(fresh_server: QuotedServer) -> None:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"## Examples\n\n```python\n(.*?)```", text, re.S)
    assert match, "the README has no Examples code block"
    code = match.group(1)
    assert 'Client("127.0.0.1", 7878' in code
    code = code.replace('Client("127.0.0.1", 7878', 'Client(%r, %d' % (fresh_server.host, fresh_server.port))
    result = subprocess.run([sys.executable, "-c", code], cwd=str(README.parent), capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith(" added") and lines[1] == "differs"
    assert "('rejected', 'invalid_date')" in result.stdout
