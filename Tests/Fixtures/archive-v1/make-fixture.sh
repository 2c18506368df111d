#!/bin/bash
# Makes a version-1 data directory with the build of 12f66fe (format version 1).
set -euo pipefail
BIN=/work/main/.build/release
OUT=$1
rm -rf "$OUT" /tmp/fixb; mkdir -p "$OUT"
cd /tmp
$BIN/quoted --listen 127.0.0.1:17901 --data "$OUT" --seed /work/main/scripts/seed-quotes.jsonl --fsync always --log-level warning & A=$!
$BIN/quoted --listen 127.0.0.1:17902 --data /tmp/fixb --no-seed --log-level warning & B=$!
sleep 1.5
QA="$BIN/quotes --server 127.0.0.1:17901"
QB="$BIN/quotes --server 127.0.0.1:17902"
$QA add "If I had any humility I would be perfect." --speaker "Ted Turner"
$QA add "If I had any humility I would be perfect." --speaker "Ted Turner" --tag fortune --tag art
$QA add "Simplicity is prerequisite for reliability." --speaker "Edsger W. Dijkstra" --date 1975
$QA add "Simplicity is prerequisite for reliability." --speaker "Edsger W. Dijkstra" --date 1975-06-18 --source "EWD498" --lang en
X=$($QA --json add "Gone today." --speaker "Nobody" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
$QA delete "$X"
$QA add "Kept with a tag." --speaker "Somebody" --tag keep
Y=$($QA --json add "Kept with a tag." --speaker "Somebody" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
$QA delete "$Y"
$QB add "Written on another host." --speaker "Remote Speaker" --tag remote
$QB add "If I had any humility I would be perfect." --speaker "Ted Turner" --source "fortunes"
$QA replicate --from 127.0.0.1:17902 --to 127.0.0.1:17901
$QA digest
$QA --json export > "$OUT.export.jsonl" || true
kill -INT $A $B; wait $A $B || true
rm -rf /tmp/fixb
