#!/bin/bash
# Makes a replica's data directory with the build of 25141a9 (index snapshot version 3,
# replication checkpoints of two fields, the folding before U+1E00-U+1FFF).
# Usage: make-fixture.sh BIN_DIR OUT_DIR (BIN_DIR holding that build's quoted and quotes).
set -euo pipefail
BIN=$1
OUT=$2
rm -rf "$OUT" /tmp/fixa; mkdir -p "$OUT"
cd /tmp
"$BIN/quoted" --listen 127.0.0.1:17911 --data /tmp/fixa --no-seed --log-level warning & A=$!
sleep 1
"$BIN/quoted" --listen 127.0.0.1:17912 --data "$OUT" --no-seed --read-only --replicate-from 127.0.0.1:17911 --log-level warning & B=$!
sleep 1
QA="$BIN/quotes --server 127.0.0.1:17911"
$QA add "Không có gì quý hơn độc lập, tự do." --speaker "Hồ Chí Minh"
$QA add "Ἓν οἶδα ὅτι οὐδὲν οἶδα." --speaker "Σωκράτης"
$QA add "Łódź is not pronounced the way it is written." --speaker "Øystein Ørsted"
$QA add "Simplicity is prerequisite for reliability." --speaker "Edsger W. Dijkstra" --date 1975
sleep 2
$BIN/quotes --server 127.0.0.1:17912 stats | grep -E 'checkpoint|state'
kill -TERM $A $B; wait $A $B || true
rm -rf /tmp/fixa
