#!/usr/bin/env bash
# import-fortunes.sh — import Debian's fortune cookies into the archive, then show the
# ten most quoted speakers among them.
#
# Usage:
#   scripts/import-fortunes.sh [--replace] [FILE...]
#
# Without FILE, imports every fortune file of $FORTUNES_DIR (default
# /usr/share/games/fortunes, from Debian's `fortunes`, `fortunes-min` and similar
# packages; the .dat indexes and .u8 links are skipped). Each file goes through
# `quotes import --format fortune --tag fortune --tag NAME` (NAME: the file's name), so
# `quotes search --tag computers` finds them later. Only entries that end with an
# attribution ("-- Name, Source, 1984") become quotes; the others are skipped and counted.
# Importing again adds nothing twice: an id is a quote's text and speaker. A quote already
# stored with other metadata (say, imported before without these tags) is reported as
# differing and left as stored; --replace stores the fortune's tags and attribution instead.
#
# Environment:
#   QUOTES          the quotes CLI (default: quotes on PATH, else this
#                   checkout's release build, else its debug build)
#   QUOTES_SERVER   HOST:PORT of the server (default 127.0.0.1:7878)
#   FORTUNES_DIR    where fortune files are (default /usr/share/games/fortunes)
#
# Exit codes: 0 done (some entries may have been rejected: the report lists them),
# 1 no fortune files found, 2 usage, 3 server or connection error, 127 no quotes CLI
# found.
# Needs python3 for the speaker count.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(dirname "$script_dir")
# shellcheck source=find-tool.sh
source "$script_dir/find-tool.sh"
quotes=$(find_tool quotes "${QUOTES:-}")

replace=()
if [[ "${1:-}" == "--replace" ]]; then
    replace=(--replace)
    shift
fi
case "${1:-}" in
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "import-fortunes.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
esac

fortunes_dir=${FORTUNES_DIR:-/usr/share/games/fortunes}
files=()
if (($# > 0)); then
    files=("$@")
else
    if [[ -d "$fortunes_dir" ]]; then
        for path in "$fortunes_dir"/*; do
            # Plain files only: not the .dat indexes, not the .u8 symbolic links, not off/.
            [[ -f "$path" && ! -L "$path" && "$path" != *.dat ]] || continue
            files+=("$path")
        done
    fi
    if ((${#files[@]} == 0)); then
        echo "import-fortunes.sh: no fortune files in $fortunes_dir: they are not installed." >&2
        echo "  On Debian or Ubuntu: sudo apt-get install fortunes   (or fortunes-min)" >&2
        echo "  Or name fortune files: scripts/import-fortunes.sh FILE..." >&2
        exit 1
    fi
fi

imported_files=0
for path in "${files[@]}"; do
    if [[ ! -r "$path" ]]; then
        echo "import-fortunes.sh: cannot read $path" >&2
        exit 2
    fi
    name=$(basename "$path")
    echo "== $name"
    status=0
    "$quotes" import --format fortune "${replace[@]}" --tag fortune --tag "$name" "$path" || status=$?
    case "$status" in
        0) ;;
        4) echo "   (some entries of $name were rejected; see above)" ;;
        *) echo "import-fortunes.sh: importing $name failed (quotes exit code $status)" >&2; exit 3 ;;
    esac
    imported_files=$((imported_files + 1))
done

echo
echo "Imported $imported_files file(s). Top 10 speakers among fortunes:"
listing=$(mktemp)
trap 'rm -f "$listing"' EXIT
status=0
"$quotes" --json search --tag fortune --all > "$listing" || status=$?
case "$status" in
    0) ;;
    1) echo "  (no attributed fortunes)"; exit 0 ;;
    *) echo "import-fortunes.sh: listing the fortunes failed (quotes exit code $status)" >&2; exit 3 ;;
esac
python3 - "$listing" <<'PYTHON'
import collections
import json
import sys

counts = collections.Counter()
with open(sys.argv[1], encoding="utf-8") as lines:
    for line in lines:
        if line.strip():
            counts[json.loads(line)["speaker"]] += 1
width = max((len(str(n)) for n in counts.values()), default=1)
for speaker, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:10]:
    print("  %*d  %s" % (width, count, speaker))
PYTHON
