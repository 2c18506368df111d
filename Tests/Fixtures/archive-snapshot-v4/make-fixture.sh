#!/bin/bash
# Makes a data directory with the build of 899da78 (index snapshot version 4, which has
# no word-pairs section).
# Usage: make-fixture.sh BIN_DIR OUT_DIR (BIN_DIR holding that build's quoted and quotes).
set -euo pipefail
BIN=$1
OUT=$2
rm -rf "$OUT"; mkdir -p "$OUT"
cd /tmp
"$BIN/quoted" --listen 127.0.0.1:17913 --data "$OUT" --no-seed --log-level warning & A=$!
sleep 1
Q="$BIN/quotes --server 127.0.0.1:17913"
$Q add "Someone broke into our home and stole something." --speaker "Mark Chen" --date 2025-06
$Q add "Our home is where the broken things are mended." --speaker "Ada Example"
$Q add "If we end up misspending a couple of hundred billion dollars, that is going to be very unfortunate." --speaker "Mark Zuckerberg" --date 2025
$Q add "Der Weg in unser Zuhause führt über die Straße." --speaker "Johann Wolfgang von Goethe"
kill -TERM $A; wait $A || true
rm -f "$OUT/LOCK"
