"""Runs each script of scripts/ against a real quoted.

Skips, saying why, when the quoted or quotes binary is missing ($QUOTED_BINARY, $QUOTES,
default .build/debug/), and the real-fortunes test when /usr/share/games/fortunes is
not installed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Iterator, List, Optional

import pytest
from quotedprocess import REPO_ROOT, QuotedServer, quotes_binary

from quotearchive import Client, Quote

SCRIPTS = REPO_ROOT / "scripts"
FORTUNES_DIR = Path("/usr/share/games/fortunes")


@pytest.fixture(scope="module")
def quotes_path() -> Path:
    binary = quotes_binary()
    if binary is None:
        pytest.skip("no quotes CLI: build it (swift build) or set QUOTES to its path; script tests skipped")
    return binary


@pytest.fixture(scope="module")
def seeded(quoted_path: Path, quotes_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[QuotedServer]:
    seed = str(SCRIPTS / "seed-quotes.jsonl")
    with QuotedServer(quoted_path, tmp_path_factory.mktemp("scripts") / "data", "--seed", seed,
                      "--fsync", "never") as running:
        yield running


def environment(quoted: Path, quotes: Path, server: Optional[str], **extra: str) -> Dict[str, str]:
    env = dict(os.environ)
    env.update({"QUOTES": str(quotes), "QUOTED": str(quoted)})
    if server is not None:
        env["QUOTES_SERVER"] = server
    env.update(extra)
    return env


def run(command: List[str], env: Dict[str, str], stdin: str = "", timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(command, input=stdin, env=env, capture_output=True, text=True, timeout=timeout,
                          cwd=str(REPO_ROOT))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# ---------------------------------------------------------------- add-quote.sh


def test_add_quote_is_idempotent(seeded: QuotedServer, quoted_path: Path, quotes_path: Path) -> None:
    env = environment(quoted_path, quotes_path, seeded.address)
    command = [str(SCRIPTS / "add-quote.sh"), "--speaker", "Grace Hopper", "--date", "1987", "--tag", "computing",
               "--", "It's easier to ask forgiveness", "than it is to get permission."]
    first = run(command, env)
    assert first.returncode == 0, first.stderr
    quote_id = first.stdout.strip()
    assert len(quote_id) == 32
    second = run(command, env)
    assert second.returncode == 0 and second.stdout.strip() == quote_id
    assert "already present" in second.stderr
    with Client(seeded.host, seeded.port) as client:
        archived = client.get(quote_id)
    assert archived.text == "It's easier to ask forgiveness than it is to get permission."
    assert (archived.speaker, archived.date, archived.tags) == ("Grace Hopper", "1987", ["computing"])


def test_add_quote_reads_stdin(seeded: QuotedServer, quoted_path: Path, quotes_path: Path) -> None:
    env = environment(quoted_path, quotes_path, seeded.address)
    result = run([str(SCRIPTS / "add-quote.sh"), "-s", "Stdin Poet"], env, stdin="first line\nsecond  line\n")
    assert result.returncode == 0, result.stderr
    with Client(seeded.host, seeded.port) as client:
        assert client.get(result.stdout.strip()).text == "first line\nsecond line"


def test_add_quote_rejected_and_usage(seeded: QuotedServer, quoted_path: Path, quotes_path: Path) -> None:
    env = environment(quoted_path, quotes_path, seeded.address)
    rejected = run([str(SCRIPTS / "add-quote.sh"), "--speaker", "   ", "a quote nobody said"], env)
    assert rejected.returncode == 4 and "missing_speaker" in rejected.stderr
    usage = run([str(SCRIPTS / "add-quote.sh"), "no speaker option"], env)
    assert usage.returncode == 2 and "--speaker" in usage.stderr
    helped = run([str(SCRIPTS / "add-quote.sh"), "--help"], env)
    assert helped.returncode == 0 and "Retry-safe" in helped.stdout


def test_add_quote_gives_up_with_3(quoted_path: Path, quotes_path: Path) -> None:
    env = environment(quoted_path, quotes_path, "127.0.0.1:%d" % free_port(),
                      ADD_QUOTE_ATTEMPTS="3", ADD_QUOTE_BACKOFF="0.05")
    result = run([str(SCRIPTS / "add-quote.sh"), "-s", "Nobody", "unreachable"], env)
    assert result.returncode == 3
    assert result.stderr.count("retrying") == 2


def test_add_quote_retries_until_the_server_is_up(quoted_path: Path, quotes_path: Path, tmp_path: Path) -> None:
    port = free_port()
    env = environment(quoted_path, quotes_path, "127.0.0.1:%d" % port,
                      ADD_QUOTE_ATTEMPTS="8", ADD_QUOTE_BACKOFF="0.2")
    script = subprocess.Popen([str(SCRIPTS / "add-quote.sh"), "-s", "Patient Person", "worth the wait"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(REPO_ROOT))
    try:
        time.sleep(0.7)
        with QuotedServer(quoted_path, tmp_path / "late", "--no-seed", "--listen", "127.0.0.1:%d" % port):
            out, err = script.communicate(timeout=60)
            assert script.returncode == 0, err
            assert "retrying" in err
            with Client("127.0.0.1", port) as client:
                assert client.get(out.strip()).speaker == "Patient Person"
    finally:
        if script.poll() is None:
            script.kill()
            script.wait()


# ---------------------------------------------------------------- import-fortunes.sh

TINY_FORTUNES = """The best way to predict the future is to invent it.
\t\t-- Alan Kay, 1971
%
An entry without attribution is skipped.
%
Premature optimization is the root of all evil.
\t\t-- Donald Knuth
%
Beware of bugs in the above code; I have only proved it correct, not tried it.
\t\t-- Donald Knuth, 1977
"""


def test_import_fortunes_from_a_file(quoted_path: Path, quotes_path: Path, tmp_path: Path) -> None:
    fortunes = tmp_path / "tiny"
    fortunes.write_text(TINY_FORTUNES, encoding="utf-8")
    with QuotedServer(quoted_path, tmp_path / "data", "--no-seed", "--fsync", "never") as server:
        env = environment(quoted_path, quotes_path, server.address)
        result = run([str(SCRIPTS / "import-fortunes.sh"), str(fortunes)], env)
        assert result.returncode == 0, result.stderr
        assert "3 added" in result.stdout and "skipped" in result.stdout
        top = result.stdout.split("Top 10 speakers")[1].strip().splitlines()[1:]
        assert [line.split(None, 1) for line in top] == [["2", "Donald Knuth"], ["1", "Alan Kay"]]
        again = run([str(SCRIPTS / "import-fortunes.sh"), str(fortunes)], env)
        assert again.returncode == 0 and "0 added, 0 updated, 3 already present" in again.stdout
        with Client(server.host, server.port) as client:
            assert len(list(client.search(tags=["fortune", "tiny"]))) == 3


def test_the_tours_import_then_the_script_leaves_no_duplicate(quoted_path: Path, quotes_path: Path,
                                                              tmp_path: Path) -> None:
    """The README tour imports fortunes without tags; the script imports the same file with
    tags: the same words by the same speaker stay one quote each."""
    fortunes = tmp_path / "tiny"
    fortunes.write_text(TINY_FORTUNES, encoding="utf-8")
    with QuotedServer(quoted_path, tmp_path / "data", "--no-seed", "--fsync", "never") as server:
        env = environment(quoted_path, quotes_path, server.address)
        tour = run([str(quotes_path), "import", "--format", "fortune", str(fortunes)], env)
        assert tour.returncode == 0 and "3 added" in tour.stdout, tour.stdout + tour.stderr
        script = run([str(SCRIPTS / "import-fortunes.sh"), str(fortunes)], env)
        assert script.returncode == 0, script.stderr
        assert "0 added, 0 updated, 0 already present; 3 differ" in script.stdout
        assert "--replace updates it" in script.stdout
        with Client(server.host, server.port) as client:
            assert client.stats()["quotes.live"] == 3
            assert list(client.search(tags=["fortune"])) == []
            replaced = run([str(SCRIPTS / "import-fortunes.sh"), "--replace", str(fortunes)], env)
            assert replaced.returncode == 0 and "0 added, 3 updated" in replaced.stdout, replaced.stdout
            assert client.stats()["quotes.live"] == 3
            assert len(list(client.search(tags=["fortune", "tiny"]))) == 3


def test_import_fortunes_says_plainly_when_none_are_installed(quoted_path: Path, quotes_path: Path,
                                                              tmp_path: Path) -> None:
    env = environment(quoted_path, quotes_path, "127.0.0.1:%d" % free_port(), FORTUNES_DIR=str(tmp_path / "none"))
    result = run([str(SCRIPTS / "import-fortunes.sh")], env)
    assert result.returncode == 1
    assert "not installed" in result.stderr and "apt-get install fortunes" in result.stderr


def test_import_installed_fortunes(quoted_path: Path, quotes_path: Path, tmp_path: Path) -> None:
    if not FORTUNES_DIR.is_dir() or not any(FORTUNES_DIR.iterdir()):
        pytest.skip("fortune files are not installed in %s (apt-get install fortunes)" % FORTUNES_DIR)
    with QuotedServer(quoted_path, tmp_path / "data", "--no-seed", "--fsync", "never") as server:
        env = environment(quoted_path, quotes_path, server.address)
        result = run([str(SCRIPTS / "import-fortunes.sh")], env, timeout=300)
        assert result.returncode == 0, result.stderr
        top = result.stdout.split("Top 10 speakers among fortunes:")[1].strip().splitlines()
        assert 1 <= len(top) <= 10
        counts = [int(line.split(None, 1)[0]) for line in top]
        assert counts == sorted(counts, reverse=True) and counts[0] > 1
        with Client(server.host, server.port) as client:
            assert client.stats()["quotes.live"] >= sum(counts)


# ---------------------------------------------------------------- quotes_by_year.py


def test_quotes_by_year(seeded: QuotedServer, quoted_path: Path, quotes_path: Path) -> None:
    with Client(seeded.host, seeded.port) as client:
        client.add_many([Quote("histogram sample %d" % i, "Ada Histogram", date)
                         for i, date in enumerate(["2001", "2001-02", "2001-03-04", "2003", None, None])])
    env = environment(quoted_path, quotes_path, seeded.address)
    result = run([sys.executable, str(SCRIPTS / "quotes_by_year.py"), "histogram", "--width", "9"], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Quotes by 'histogram' per year: 4 dated, 2 undated",
        "2001 | ######### 3",
        "2002 | ",
        "2003 | ### 1",
    ]
    seeded_run = run([sys.executable, str(SCRIPTS / "quotes_by_year.py"), "--server", seeded.address,
                      "mark zuckerberg"], dict(os.environ))
    assert seeded_run.returncode == 0 and "2024 | " in seeded_run.stdout and "2025 | " in seeded_run.stdout
    missing = run([sys.executable, str(SCRIPTS / "quotes_by_year.py"), "no such speaker at all"], env)
    assert missing.returncode == 1
    down = run([sys.executable, str(SCRIPTS / "quotes_by_year.py"), "--server", "127.0.0.1:%d" % free_port(), "x"],
               env)
    assert down.returncode == 3


# ---------------------------------------------------------------- backup.sh


def test_backup_exports_and_verifies(seeded: QuotedServer, quoted_path: Path, quotes_path: Path,
                                     tmp_path: Path) -> None:
    with Client(seeded.host, seeded.port) as client:
        client.add_many([Quote("backed up quote %d" % i, "Archivist", lang="en", tags=["backup"]) for i in range(300)])
        doomed = client.add(Quote("deleted before the backup", "Archivist"))
        client.delete(doomed.id)
        live = client.stats()["quotes.live"]
    env = environment(quoted_path, quotes_path, seeded.address)
    result = run([str(SCRIPTS / "backup.sh"), str(tmp_path / "backups")], env)
    assert result.returncode == 0, result.stdout + result.stderr
    files = list((tmp_path / "backups").glob("backup-????-??-??.jsonl"))
    assert len(files) == 1
    lines = files[0].read_text(encoding="utf-8").splitlines()
    assert len(lines) == live
    assert doomed.id not in files[0].read_text(encoding="utf-8")
    assert "verified: a scratch server restored all %d quotes with the same ids and metadata" % live in result.stdout
    assert "verified: the restore's digest equals the server's" in result.stdout
    assert not list((tmp_path / "backups").glob("*.partial"))


def test_a_script_copied_out_of_the_checkout_finds_quotes_on_path_or_says_what_is_missing(
        quoted_path: Path, quotes_path: Path, tmp_path: Path) -> None:
    copied = tmp_path / "bin"
    copied.mkdir()
    for name in ("add-quote.sh", "find-tool.sh"):
        (copied / name).write_bytes((SCRIPTS / name).read_bytes())
        (copied / name).chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key not in ("QUOTES", "QUOTED")}
    env["PATH"] = "/usr/bin:/bin"
    missing = subprocess.run([str(copied / "add-quote.sh"), "--speaker", "S", "words"], env=env,
                             capture_output=True, text=True, timeout=60, cwd=str(tmp_path))
    assert missing.returncode == 127, missing.stderr
    assert "cannot find quotes" in missing.stderr and "scripts/install" in missing.stderr
    with QuotedServer(quoted_path, tmp_path / "data", "--no-seed", "--fsync", "never") as server:
        env["PATH"] = "%s:/usr/bin:/bin" % quotes_path.parent
        env["QUOTES_SERVER"] = server.address
        found = subprocess.run([str(copied / "add-quote.sh"), "--speaker", "S", "words"], env=env,
                               capture_output=True, text=True, timeout=60, cwd=str(tmp_path))
        assert found.returncode == 0, found.stderr
        assert len(found.stdout.strip()) == 32
