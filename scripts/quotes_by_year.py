#!/usr/bin/env python3
"""quotes_by_year.py — how many quotes of a speaker the archive holds, per year.

Usage:
    scripts/quotes_by_year.py SPEAKER [--server HOST:PORT] [--width N] [--timeout S]

SPEAKER matches as in `quotes search --speaker`: the whole name, or one word of it
("chen" finds "Mark Chen"). Prints one line per year from the first to the last (years
without quotes included, unless the span is long), a bar of '#' scaled to --width, and
the count; undated quotes are counted apart. Uses the Python client in Clients/python
(found next to this script when the quotearchive package is not installed).

Environment: QUOTES_SERVER, HOST:PORT of the server, when --server is not given
(default 127.0.0.1:7878).

Exit codes (as the quotes CLI): 0 done, 1 no quote by that speaker, 2 usage,
3 server or connection error.

Example:
    $ scripts/quotes_by_year.py "mark zuckerberg"
    Quotes by "mark zuckerberg" per year: 2 dated, 0 undated
    2024 | ######################################## 1
    2025 | ######################################## 1
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
from pathlib import Path
from typing import Counter, List, Optional

try:
    import quotearchive
except ImportError:  # running from a checkout: use Clients/python beside this script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "Clients" / "python"))
    import quotearchive

from quotearchive import Client, ClientConnectionError, QuoteArchiveError, parse_server

#: Years spanned beyond which only years with quotes are listed.
MAX_SPAN_WITH_GAPS = 60


def histogram(years: Counter[int], width: int) -> List[str]:
    """The histogram lines: ``YEAR | ### COUNT``, bars scaled so the longest is ``width``."""
    if not years:
        return []
    first, last = min(years), max(years)
    rows = range(first, last + 1) if last - first < MAX_SPAN_WITH_GAPS else sorted(years)
    peak = max(years.values())
    lines = []
    for year in rows:
        count = years.get(year, 0)
        bar = "#" * (max(1, round(count * width / peak)) if count else 0)
        lines.append("%04d | %s%s" % (year, bar, " %d" % count if count else ""))
    return lines


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="quotes_by_year.py", description="Count a speaker's quotes per year and print a histogram.")
    parser.add_argument("speaker", help="the speaker's whole name or one word of it")
    parser.add_argument("--server", default=os.environ.get("QUOTES_SERVER") or "127.0.0.1:7878",
                        help="HOST:PORT (default: $QUOTES_SERVER, else 127.0.0.1:7878)")
    parser.add_argument("--width", type=int, default=40, help="the longest bar, in characters (default 40)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for the server")
    args = parser.parse_args(argv)  # exits with 2 on a usage error
    if args.width < 1 or args.timeout <= 0:
        parser.error("--width and --timeout must be above 0")
    try:
        host, port = parse_server(args.server)
    except quotearchive.InvalidInputError as error:
        parser.error(str(error))

    years: Counter[int] = collections.Counter()
    undated = 0
    try:
        with Client(host, port, timeout=args.timeout) as client:
            # Pages of at most 240 quotes always fit a response frame (PROTOCOL.md §6, SEARCH).
            for archived in client.search(speaker=args.speaker, page_size=200):
                if archived.year is None:
                    undated += 1
                else:
                    years[archived.year] += 1
    except ClientConnectionError as error:
        print("quotes_by_year.py: %s" % error, file=sys.stderr)
        return 3
    except QuoteArchiveError as error:
        print("quotes_by_year.py: %s" % error, file=sys.stderr)
        return 4 if isinstance(error, quotearchive.InvalidInputError) else 3

    if not years and not undated:
        print("no quotes by %r" % args.speaker, file=sys.stderr)
        return 1
    print("Quotes by %r per year: %d dated, %d undated" % (args.speaker, sum(years.values()), undated))
    for line in histogram(years, args.width):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
