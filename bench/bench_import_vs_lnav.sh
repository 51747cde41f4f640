#!/usr/bin/env bash
# ErrorDeck's import against lnav loading the same file, side by side in one run
# (issue 13). A benchmark, not a test: figures to read.
#   bench/bench_import_vs_lnav.sh [BUILD_DIR] [--runs N] [--reports N] [--mails N] [--workers N]
# Generates the v1 file once (bench/gen_reports.py, --seed 1), then runs, interleaved,
#   lnav -n -I bench/lnav -c ';SELECT count(*) FROM errordeck_v1' FILE
# (the JSON format of bench/lnav/formats/errordeck/) and `errordeck-cli import`
# into a fresh database, N times each (default 3), and prints the median wall
# and CPU (user+sys) seconds of both, peak RSS and the ratio lnav/errordeck.
# Then the e-mail import: a folder of --mails file-backend messages
# (bench/make_mail_folder.py, default 10,000) imported into a fresh database, MB/s.
# Wall times are only meaningful on a quiet machine; CPU times less so affected.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build="$root/build"
runs=3 reports=20000 mails=10000 workers=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --reports) reports="$2"; shift 2 ;;
    --mails) mails="$2"; shift 2 ;;
    --workers) workers="--workers=$2"; shift 2 ;;
    *) build="$1"; shift ;;
  esac
done
cli="$build/app/errordeck-cli/errordeck-cli"
py=/usr/bin/python3
[ -x "$cli" ] || { echo "build first: $cli is missing" >&2; exit 1; }
command -v lnav >/dev/null || { echo "lnav is missing: ./dev.sh bench-deps installs it" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# lnav keeps its configuration under $HOME: a fresh one, so no user setting counts.
mkdir -p "$work/home"

file="$work/reports.jsonl"
echo "generating $reports reports ..." >&2
"$py" "$here/gen_reports.py" "$root/tests/data/corpus/records.jsonl" "$reports" "$file" --seed 1

# Prints "wall cpu rss_kb" for the command after --.
timed() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
    echo "failed: $*" >&2; cat "$work/err" >&2; exit 1; }
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$work/time"
}

: >"$work/lnav.txt"; : >"$work/ed.txt"
for i in $(seq 1 "$runs"); do
  HOME="$work/home" timed lnav -n -I "$here/lnav" -c ';SELECT count(*) FROM errordeck_v1' "$file" >>"$work/lnav.txt"
  count=$(tr -dc '0-9\n' <"$work/out" | grep -v '^$' | tail -1)
  [ "$count" = "$reports" ] || { echo "lnav counted '$count' records, not $reports" >&2; exit 1; }
  rm -f "$work/db.sqlite3"*
  timed "$cli" import --quiet --json $workers --db "$work/db.sqlite3" "$file" >>"$work/ed.txt"
  cp "$work/out" "$work/summary.json"
done

"$py" - "$work/lnav.txt" "$work/ed.txt" "$work/summary.json" "$(stat -c %s "$file")" "$reports" <<'PY'
import json, statistics, sys
def load(p):
    rows = [list(map(float, l.split())) for l in open(p) if l.strip()]
    return [statistics.median(c) for c in zip(*rows)], len(rows)
(lw, lc, lr), n = load(sys.argv[1])
(ew, ec, er), _ = load(sys.argv[2])
s = json.load(open(sys.argv[3]))
size, reports = int(sys.argv[4]), int(sys.argv[5])
assert s['stored'] == reports, s
cpu = s.get('cpu_seconds', {})
print(f"v1 file: {reports} reports, {size / 2**20:.0f} MB; medians of {n} interleaved runs")
print(f"  lnav:      {lw:6.2f} s wall  {lc:6.2f} s CPU  {lr / 1024:6.0f} MB peak RSS")
print(f"  errordeck: {ew:6.2f} s wall  {ec:6.2f} s CPU  {er / 1024:6.0f} MB peak RSS"
      f"  ({s.get('workers', '?')} workers; CPU of the last run: reader {cpu.get('reader', 0):.2f} s,"
      f" workers {cpu.get('workers', 0):.2f} s, writer {cpu.get('writer', 0):.2f} s)")
print(f"  ratio lnav/errordeck: {lw / ew:.2f} wall (aim >= 2), {lc / ec:.2f} CPU")
PY

if [ "$mails" -gt 0 ]; then
  echo "making $mails e-mails ..." >&2
  "$py" "$here/make_mail_folder.py" "$root/tests/data/corpus/emails" "$mails" "$work/mail"
  bytes=$(du -sb "$work/mail" | awk '{print $1}')
  : >"$work/mail.txt"
  for i in $(seq 1 "$runs"); do
    rm -f "$work/mail.sqlite3"*
    timed "$cli" import --quiet --json $workers --db "$work/mail.sqlite3" "$work/mail" >>"$work/mail.txt"
    cp "$work/out" "$work/mail.json"
  done
  "$py" - "$work/mail.txt" "$work/mail.json" "$bytes" "$mails" <<'PY'
import json, statistics, sys
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
w, c, r = [statistics.median(x) for x in zip(*rows)]
s = json.load(open(sys.argv[2]))
size, mails = int(sys.argv[3]), int(sys.argv[4])
assert s['stored'] > 0, s
cpu = s.get('cpu_seconds', {})
mb = size / 2**20
print(f"e-mail folder: {mails} messages, {mb:.0f} MB; medians of {len(rows)} runs")
print(f"  errordeck: {w:6.2f} s wall = {mb / w:6.1f} MB/s (target >= 150)  {c:6.2f} s CPU = {mb / c:6.1f} MB per CPU-second"
      f"  {r / 1024:4.0f} MB peak RSS")
print(f"  CPU of the last run: reader {cpu.get('reader', 0):.2f} s, workers {cpu.get('workers', 0):.2f} s,"
      f" writer {cpu.get('writer', 0):.2f} s")
PY
fi
