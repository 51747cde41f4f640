#!/usr/bin/env bash
# CPU time of two errordeck-cli builds on the same inputs, runs interleaved
# (perf stat task-clock: steadier than wall time on a shared machine).
#   bench/compare_builds.sh BEFORE_CLI AFTER_CLI [RUNS]
# Generates 20,000 v1 reports and a 10,000-message mail folder from the test
# corpus in a temporary folder, imports each into a new database per run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
corpus="$(dirname "$here")/tests/data/corpus"
before="$1" after="$2" runs="${3:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$here/gen_reports.py" "$corpus/records.jsonl" 20000 "$work/g20k.jsonl" >/dev/null
/usr/bin/python3 "$here/make_mail_folder.py" "$corpus/emails" 10000 "$work/mail" >/dev/null
cpu() { # CLI INPUT -> seconds of CPU
  rm -f "$work"/db.sqlite3*
  perf stat -x, -e task-clock "$1" import --quiet --db "$work/db.sqlite3" "$2" 2>&1 >/dev/null |
    awk -F, '/task-clock/{printf "%.2f\n", $1/1000}'
}
for input in g20k.jsonl mail; do
  for i in $(seq "$runs"); do
    echo "$input run $i: before $(cpu "$before" "$work/$input") s, after $(cpu "$after" "$work/$input") s"
  done
done
