#!/usr/bin/env bash
# backup.sh — export the archive to a dated JSON Lines file, then prove the file restores.
#
# Usage:
#   scripts/backup.sh [DIR]          # DIR defaults to the current directory
#
# 1. `quotes export` writes every live quote to DIR/backup-YYYY-MM-DD.jsonl (UTC date;
#    written to a temporary name first and renamed, so a failed run never leaves a
#    truncated backup under the final name; a second run the same day replaces it).
# 2. A scratch `quoted` is started on an ephemeral port (127.0.0.1:0) with an empty
#    temporary data directory, the file is imported into it with `quotes import`, and:
#    - its `quotes digest` live count must equal the number of quotes in the file;
#    - its own export must hold the file's quotes exactly (ids, text, speaker and
#      metadata), leaving aside `added` and `origin`, which belong to the new puts.
#    The scratch server is stopped (SIGTERM) and its directory removed in every case.
#    When the server did not change meanwhile, the scratch archive's digest also equals
#    the server's: the digest covers live quotes and their metadata, not who wrote them.
#
# Environment:
#   QUOTES          the quotes CLI (default: quotes on PATH, else this
#                   checkout's release build, else its debug build)
#   QUOTED          the quoted server for the scratch check (default: quoted on PATH, else
#                   this checkout's release build, else its debug build)
#   QUOTES_SERVER   HOST:PORT of the server to back up (default 127.0.0.1:7878)
#
# Exit codes: 0 backed up and verified, 2 usage, 3 server or connection error,
# 5 the backup did not verify (the file is kept for inspection), 127 quotes or quoted
# not found.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(dirname "$script_dir")

# shellcheck source=find-tool.sh
source "$script_dir/find-tool.sh"

case "${1:-}" in
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "backup.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
esac
(($# <= 1)) || { echo "backup.sh: expected at most one directory (see --help)" >&2; exit 2; }

quotes=$(find_tool quotes "${QUOTES:-}")
quoted=$(find_tool quoted "${QUOTED:-}")
backup_dir=${1:-.}
mkdir -p "$backup_dir"
backup="$backup_dir/backup-$(date -u +%Y-%m-%d).jsonl"

scratch=$(mktemp -d)
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$scratch"
    rm -f "$backup.partial"
}
trap cleanup EXIT

# 1. Export.
status=0
"$quotes" export > "$backup.partial" || status=$?
if ((status != 0)); then
    echo "backup.sh: export failed (quotes exit code $status)" >&2
    exit 3
fi
mv "$backup.partial" "$backup"
exported=$(grep -c . "$backup" || true)
echo "exported $exported quotes to $backup"

# 2. Restore into a scratch server and compare.
"$quoted" --listen 127.0.0.1:0 --data "$scratch/data" --no-seed --fsync never \
    --log-level info 2> "$scratch/quoted.log" &
server_pid=$!
address=""
for _ in $(seq 1 200); do
    address=$(sed -n 's/.*listening address=\([^ ]*\) protocol=quote-archive\/[0-9]*.*/\1/p' "$scratch/quoted.log" | head -n 1)
    [[ -n "$address" ]] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.05
done
if [[ -z "$address" ]]; then
    echo "backup.sh: the scratch quoted did not start:" >&2
    cat "$scratch/quoted.log" >&2
    exit 3
fi

status=0
"$quotes" --server "$address" import "$backup" > "$scratch/import.log" || status=$?
if ((status != 0)); then
    cat "$scratch/import.log" >&2
    echo "backup.sh: importing the backup into the scratch server failed (quotes exit code $status)" >&2
    exit 5
fi

# `quotes --json digest` prints {"count":N,"digest":"...","ops_digest":"..."}.
count_of() { sed -n 's/.*"count":\([0-9]*\).*/\1/p'; }
digest_of() { sed -n 's/.*"digest":"\([0-9a-f]*\)".*/\1/p'; }
restored_json=$("$quotes" --json --server "$address" digest)
live_json=$("$quotes" --json digest || true)
restored=$(count_of <<< "$restored_json")
live=$(count_of <<< "$live_json")

# Export lines have their keys in a fixed order, ending with "added" and "origin": the
# rest of each line is the quote, id and metadata included.
contents() { sed 's/,"added":"[^"]*","origin":"[^"]*"}$/}/' "$1" | LC_ALL=C sort; }
"$quotes" --server "$address" export > "$scratch/restored.jsonl"
contents "$backup" > "$scratch/backup.ids"
contents "$scratch/restored.jsonl" > "$scratch/restored.ids"

if [[ "$restored" != "$exported" ]]; then
    echo "backup.sh: NOT VERIFIED: the file holds $exported quotes, the restore $restored" >&2
    exit 5
fi
if ! cmp -s "$scratch/backup.ids" "$scratch/restored.ids"; then
    echo "backup.sh: NOT VERIFIED: the restored quotes differ from the backup's:" >&2
    diff "$scratch/backup.ids" "$scratch/restored.ids" | head -n 20 >&2 || true
    exit 5
fi
if [[ -n "$live" && "$live" != "$exported" ]]; then
    echo "note: the live server now holds $live quotes (it changed after the export)"
fi
echo "verified: a scratch server restored all $restored quotes with the same ids and metadata"
if [[ -n "$live_json" && "$(digest_of <<< "$live_json")" == "$(digest_of <<< "$restored_json")" ]]; then
    echo "verified: the restore's digest equals the server's"
fi
