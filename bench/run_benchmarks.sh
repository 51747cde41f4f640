#!/usr/bin/env bash
# ErrorDeck's speed and memory benchmarks (not tests: numbers to read, not to assert).
#   bench/run_benchmarks.sh [BUILD_DIR] [--large]
# Makes a 20,000-report v1 file with bench/gen_reports.py in a temporary
# folder, imports it into a fresh database with errordeck-cli, and prints seconds,
# MB/s, reports/s, the database size as a share of the input and peak RSS, beside
# the naive baseline (the same lines as blobs, one transaction). With --large it
# also builds (or reuses) the 1,000,000-report database of bench/build_bench_db.sh,
# measures flat growth and times the queries the UI runs at 250k, 500k and 1M.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build="${1:-$root/build}"
large=0
for a in "$@"; do [ "$a" = "--large" ] && large=1; done
corpus="$root/tests/data/corpus"
cli="$build/app/errordeck-cli/errordeck-cli"
py=/usr/bin/python3
[ -x "$cli" ] || { echo "build first: $cli is missing" >&2; exit 1; }
ninja -C "$build" bench_naive_insert bench_queries >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

import_bench() { # FILE LABEL [extra import args]
  local file="$1" label="$2"; shift 2
  local db="$work/bench-$label.sqlite3"
  rm -f "$db"*
  local out
  out=$( { /usr/bin/time -f "%e %M" "$cli" import --quiet --json --db "$db" "$@" "$file" >"$work/summary.json"; } 2>&1 | tail -1)
  local secs rss
  secs=$(echo "$out" | awk '{print $1}')
  rss=$(echo "$out" | awk '{print $2}')
  local bytes dbbytes stored
  bytes=$(stat -c %s "$file")
  dbbytes=$(( $(stat -c %s "$db") + $(stat -c %s "$db-wal" 2>/dev/null || echo 0) ))
  stored=$($py -c "import json;print(json.load(open('$work/summary.json'))['stored'])")
  $py - "$label" "$secs" "$bytes" "$stored" "$dbbytes" "$rss" <<'PY'
import sys
label, secs, size, stored, dbsize, rss = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
print(f"import [{label}]: {stored} reports, {size/2**20:.1f} MB in {secs:.2f} s = {size/2**20/secs:.1f} MB/s, "
      f"{stored/secs:.0f} reports/s; database {dbsize/2**20:.1f} MB = {100*dbsize/size:.1f}% of input; peak RSS {rss/1024:.0f} MB")
PY
}

echo "== generating 20,000 reports"
$py "$here/gen_reports.py" "$corpus/records.jsonl" 20000 "$work/g20k.jsonl"
echo "== import (targets: >= 100 MB/s, peak RSS <= 300 MB, database <= 20% of input)"
import_bench "$work/g20k.jsonl" "default rules"
# --no-filters (hidden from --help) imports without scrubbing and rules: the
# target is the default rules within 15% of this.
import_bench "$work/g20k.jsonl" "rules off" --no-filters
"$build/bench/bench_naive_insert" "$work/g20k.jsonl" "$work/naive.sqlite3"

if [ -d "$corpus/emails" ] && "$cli" import --help >/dev/null; then
  echo "== e-mail import (target >= 50 MB/s): 10,000 file-based-backend messages"
  $py "$here/make_mail_folder.py" "$corpus/emails" 10000 "$work/mail"
  mail_bytes=$(du -sb "$work/mail" | awk '{print $1}')
  start=$(date +%s.%N)
  "$cli" import --quiet --json --db "$work/mail.sqlite3" "$work/mail" >"$work/mail.json" || true
  end=$(date +%s.%N)
  $py - "$work/mail.json" "$mail_bytes" "$start" "$end" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
b, secs = int(sys.argv[2]), float(sys.argv[4]) - float(sys.argv[3])
if s["stored"] == 0:
    print("mail import: nothing stored: " + (s["problems"][0]["reason"] if s["problems"] else "?"))
else:
    print(f"mail import: {s['stored']} messages, {b/2**20:.1f} MB in {secs:.2f} s = {b/2**20/secs:.1f} MB/s, "
          f"{s['rejected']} rejected")
PY
fi

if [ "$large" = 1 ]; then
  # Issue 13: the 1,000,000-report database through the real importer (cached
  # between runs, bench/build_bench_db.sh), flat growth, and the queries at
  # 250,000, 500,000 and 1,000,000 reports (the copies the builder keeps).
  echo "== 1,000,000 reports through errordeck-cli import (per-chunk rates; flat growth target >= 80%)"
  full=$("$here/build_bench_db.sh" "$build" --growth | tail -1)
  for n in 250000 500000 1000000; do
    echo "== queries at $n reports"
    "$build/bench/bench_queries" "$(dirname "$full")/reports-$n.sqlite3"
  done
fi
