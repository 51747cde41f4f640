#!/usr/bin/env bash
# errordeck-cli copy-store (issue 17): rows/s from an SQLite file into
# PostgreSQL 15 and back into a new file. Numbers to read, not to assert.
#   bench/bench_copy_store.sh [BUILD_DIR] [--reports N]   (default 20,000 reports)
# Generates N reports with bench/gen_reports.py, imports them into a new file,
# starts a throw-away PostgreSQL (Debian's postgresql-15: initdb and pg_ctl in
# a temporary folder, fsync off as in the tests; as the postgres user when run
# as root) and times both copies.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build="$root/build"
reports=20000
while [ $# -gt 0 ]; do
  case "$1" in
    --reports) reports="$2"; shift 2 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) build="$1"; shift ;;
  esac
done
cli="$build/app/errordeck-cli/errordeck-cli"
pgbin=/usr/lib/postgresql/15/bin
[ -x "$cli" ] || { echo "build first: $cli is missing" >&2; exit 1; }
[ -x "$pgbin/initdb" ] || { echo "needs Debian's postgresql-15" >&2; exit 1; }

work="$(mktemp -d)"
as_pg=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$work"
  as_pg=(runuser -u postgres --)
fi
stop() {
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT

port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_pg[@]}" "$pgbin/initdb" -D "$work/pg" -U bench --auth=trust >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off" start >/dev/null
"${as_pg[@]}" "$pgbin/createdb" -h "$work" -p "$port" -U bench errors
url="postgresql://bench@127.0.0.1:$port/errors"

echo "== $reports reports into $work/source.sqlite3"
/usr/bin/python3 "$here/gen_reports.py" "$root/tests/data/corpus/records.jsonl" "$reports" "$work/gen.jsonl"
"$cli" import --quiet --db "$work/source.sqlite3" "$work/gen.jsonl" | tail -1

copy() { # LABEL SRC DST
  local label="$1" src="$2" dst="$3" start end rows
  start=$(date +%s.%N)
  "$cli" copy-store --quiet "$src" "$dst" >"$work/copy.txt"
  end=$(date +%s.%N)
  rows=$(sed -n 's/^\([0-9]*\) rows copied.*/\1/p' "$work/copy.txt")
  /usr/bin/python3 -c "import sys; r, s = int(sys.argv[2]), float(sys.argv[3]) - float(sys.argv[4]); \
print(f'copy-store [{sys.argv[1]}]: {r} rows in {s:.2f} s = {r / s:.0f} rows/s (the run, opening and verifying included)')" \
    "$label" "$rows" "$end" "$start"
  tail -1 "$work/copy.txt"
}
copy "SQLite -> PostgreSQL" "$work/source.sqlite3" "$url"
copy "PostgreSQL -> SQLite" "$url" "$work/back.sqlite3"
