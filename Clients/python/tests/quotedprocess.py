"""Starting and stopping a real ``quoted`` for tests (and nothing else)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import List, Optional

REPO_ROOT = Path(__file__).resolve().parents[3]
_LISTENING = re.compile(r"listening address=(\S+):(\d+) protocol=quote-archive/\d+")


def quoted_binary() -> Optional[Path]:
    """``$QUOTED_BINARY``, else ``.build/debug/quoted`` under the repository root, if it exists."""
    configured = os.environ.get("QUOTED_BINARY")
    path = Path(configured) if configured else REPO_ROOT / ".build" / "debug" / "quoted"
    if not path.is_absolute():
        path = REPO_ROOT / path
    return path if path.is_file() and os.access(str(path), os.X_OK) else None


def quotes_binary() -> Optional[Path]:
    """``$QUOTES``, else ``quotes`` beside the quoted binary, else ``.build/debug/quotes``."""
    configured = os.environ.get("QUOTES")
    candidates: List[Path] = []
    if configured:
        found = configured if os.sep in configured else shutil.which(configured)
        if found:
            candidates.append(Path(found))
    quoted = quoted_binary()
    if quoted is not None:
        candidates.append(quoted.parent / "quotes")
    candidates.append(REPO_ROOT / ".build" / "debug" / "quotes")
    for path in candidates:
        if not path.is_absolute():
            path = REPO_ROOT / path
        if path.is_file() and os.access(str(path), os.X_OK):
            return path
    return None


class QuotedServer:
    """``quoted --listen 127.0.0.1:0 --data DIR ARGS...``; the port is parsed from stderr."""

    def __init__(self, binary: Path, data_dir: Path, *args: str, startup_timeout: float = 20.0) -> None:
        self.binary = binary
        self.data_dir = Path(data_dir)
        self.args = list(args)
        self.startup_timeout = startup_timeout
        self.process: Optional[subprocess.Popen] = None
        self.host = "127.0.0.1"
        self.port = 0
        self.log_path = self.data_dir.parent / (self.data_dir.name + ".stderr.log")

    @property
    def address(self) -> str:
        return "%s:%d" % (self.host, self.port)

    def start(self) -> "QuotedServer":
        self.data_dir.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "wb")
        try:
            self.process = subprocess.Popen(
                [str(self.binary), "--listen", "127.0.0.1:0", "--data", str(self.data_dir)] + self.args,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log, cwd=str(REPO_ROOT))
        finally:
            log.close()
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            text = self.log()
            match = _LISTENING.search(text)
            if match:
                self.host, self.port = match.group(1), int(match.group(2))
                return self
            if self.process.poll() is not None:
                raise RuntimeError("quoted exited with %s before listening:\n%s" % (self.process.returncode, text))
            time.sleep(0.02)
        self.kill()
        raise RuntimeError("quoted did not say it was listening within %gs:\n%s" % (self.startup_timeout, self.log()))

    def log(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    def stop(self, timeout: float = 15.0) -> Optional[int]:
        """SIGTERM, then wait; SIGKILL if it does not exit in time. Returns the exit status."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self) -> None:
        """SIGKILL: the server vanishes without closing anything gracefully."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def __enter__(self) -> "QuotedServer":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
