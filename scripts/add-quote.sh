#!/usr/bin/env bash
# add-quote.sh — add one quote from the shell, safely retried.
#
# Usage:
#   scripts/add-quote.sh --speaker NAME [--date YYYY[-MM[-DD]]] [--source SRC] [--lang LANG]
#                        [--tag TAG]... [TEXT...]
#   echo "text" | scripts/add-quote.sh --speaker NAME          # no TEXT (or "-"): read stdin
#   --server HOST:PORT sets QUOTES_SERVER for this run.
#
# Prints the quote's id on standard output (and "already present" on standard error when
# it was). Words of TEXT are joined with single spaces.
#
# Retry-safe: a quote's id is computed from its content, so adding the same quote again
# stores nothing new and prints the same id. That makes it safe to retry when the
# connection fails (even if the first attempt was stored and only the answer was lost):
# on a server or connection error (quotes exit code 3) it retries with exponential
# backoff before giving up.
#
# Environment:
#   QUOTES                the quotes CLI (default: quotes on PATH, else this
#                         checkout's release build, else its debug build)
#   QUOTES_SERVER         HOST:PORT of the server (default 127.0.0.1:7878)
#   ADD_QUOTE_ATTEMPTS    attempts in all (default 5)
#   ADD_QUOTE_BACKOFF     seconds before the first retry, doubled each time (default 0.5)
#
# Exit codes (those of quotes): 0 added or already present, 2 usage, 3 server or
# connection error after every attempt, 4 the quote was rejected (no retry), 127 no
# quotes CLI found.
set -euo pipefail

# usage [STATUS]: the header above; on standard output for --help, else on standard error.
usage() {
    local status=${1:-2}
    if ((status == 0)); then
        sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
    else
        sed -n '/^# Usage:/,/^#$/p' "$0" | sed -e 's/^# \{0,1\}//' >&2
    fi
    exit "$status"
}

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(dirname "$script_dir")
# shellcheck source=find-tool.sh
source "$script_dir/find-tool.sh"
quotes=$(find_tool quotes "${QUOTES:-}")

options=()
words=()
speaker_given=0
while (($# > 0)); do
    case "$1" in
        -h|--help) usage 0 ;;
        --server)
            (($# >= 2)) || { echo "add-quote.sh: $1 needs a value" >&2; usage; }
            export QUOTES_SERVER=$2
            shift 2 ;;
        -s|--speaker|--date|--source|--lang|--tag)
            (($# >= 2)) || { echo "add-quote.sh: $1 needs a value" >&2; usage; }
            [[ "$1" == "-s" || "$1" == "--speaker" ]] && speaker_given=1
            options+=("$1" "$2")
            shift 2 ;;
        --) shift; words+=("$@"); break ;;
        -) words+=("-"); shift ;;
        -*) echo "add-quote.sh: unknown option $1" >&2; usage ;;
        *) words+=("$1"); shift ;;
    esac
done
((speaker_given)) || { echo "add-quote.sh: --speaker is required" >&2; usage; }

attempts=${ADD_QUOTE_ATTEMPTS:-5}
delay=${ADD_QUOTE_BACKOFF:-0.5}
[[ "$attempts" =~ ^[1-9][0-9]*$ ]] || { echo "add-quote.sh: ADD_QUOTE_ATTEMPTS must be a positive integer" >&2; exit 2; }

# The text comes from the arguments, or from standard input kept in a file so that every
# attempt can read it again.
text_file=""
cleanup() { [[ -n "$text_file" ]] && rm -f "$text_file"; return 0; }
trap cleanup EXIT
if ((${#words[@]} == 0)) || [[ "${words[*]}" == "-" ]]; then
    text_file=$(mktemp)
    cat > "$text_file"
fi

attempt=1
while :; do
    status=0
    if [[ -n "$text_file" ]]; then
        "$quotes" add "${options[@]}" - < "$text_file" || status=$?
    else
        "$quotes" add "${options[@]}" -- "${words[*]}" || status=$?
    fi
    if ((status != 3)) || ((attempt >= attempts)); then
        exit "$status"
    fi
    echo "add-quote.sh: attempt $attempt of $attempts failed; retrying in ${delay}s" >&2
    sleep "$delay"
    delay=$(awk -v d="$delay" 'BEGIN { printf "%g", d * 2 }')
    attempt=$((attempt + 1))
done
