#!/usr/bin/env bash
# ErrorDeck's import into PostgreSQL against SQLite on the same file, side by
# side in one run (issue 17, "Speed"). A benchmark, not a test: figures to read.
#   bench/bench_pg_import.sh [BUILD_DIR] [--runs N] [--reports N] [--workers N]
#                            [--fsync on|off] [--stats]
# Generates two v1 files (bench/gen_reports.py, seeds 1 and 2, default 6,000
# reports each), starts a PostgreSQL 15 cluster of its own (initdb in a temp
# dir, 127.0.0.1 on a free port, trust logins; as root it runs as Debian's
# `postgres` user), then, interleaved N times (default 3):
#   1. `errordeck-cli import` of file 1 into a fresh SQLite file and into a
#      fresh PostgreSQL database, each an empty store made just before by
#      `errordeck-cli stats` (timed apart: the schema's DDL takes ~0.5 s on a
#      server, once per database): reports/s of each and the ratio PG/SQLite
#      (issue 17's aim: >= 0.5);
#   2. into a fresh PostgreSQL database, one importer on both files, then
#      (another fresh database) two importers at once, a file each: the ratio
#      one/two of their wall times (aim: > 1, several importers faster).
# Medians of the N runs. Server settings are printed: by default fsync=off
# (what the disk costs is not the importer's), the rest PostgreSQL's defaults
# (synchronous_commit=on). --stats loads pg_stat_statements and prints the
# statements the last single PostgreSQL import spent most server time in.
# Wall times are only meaningful on a quiet machine: the load average is printed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build="$root/build"
runs=3 reports=6000 workers="" fsync=off stats=0
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --reports) reports="$2"; shift 2 ;;
    --workers) workers="--workers=$2"; shift 2 ;;
    --fsync) fsync="$2"; shift 2 ;;
    --stats) stats=1; shift ;;
    *) build="$1"; shift ;;
  esac
done
cli="$build/app/errordeck-cli/errordeck-cli"
py=/usr/bin/python3
pgbin=/usr/lib/postgresql/15/bin
[ -x "$cli" ] || { echo "build first: $cli is missing" >&2; exit 1; }
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL 15 is missing ($pgbin/initdb): apt-get install postgresql-15" >&2; exit 1; }

work="$(mktemp -d)"
chmod 755 "$work"
# initdb and postgres refuse root: as root the cluster is the postgres user's.
as=()
if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi
pgdata="$work/pg"
stop_pg() { [ -f "$pgdata/postmaster.pid" ] && "${as[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true; }
trap 'stop_pg; rm -rf "$work"' EXIT

for n in 1 2; do
  echo "generating file $n: $reports reports ..." >&2
  "$py" "$here/gen_reports.py" "$root/tests/data/corpus/records.jsonl" "$reports" "$work/reports$n.jsonl" --seed "$n"
done

port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir "$pgdata" && { [ ${#as[@]} -eq 0 ] || chown postgres "$pgdata"; }
"${as[@]}" "$pgbin/initdb" -D "$pgdata" -U bench --auth=trust -E UTF8 --no-locale --no-sync --no-instructions >"$work/initdb.log" 2>&1 ||
  { cat "$work/initdb.log" >&2; exit 1; }
{
  echo "listen_addresses = '127.0.0.1'"
  echo "port = $port"
  echo "unix_socket_directories = '$pgdata'"
  echo "fsync = $fsync"
  echo "max_connections = 20"
  [ "$stats" = 1 ] && echo "shared_preload_libraries = 'pg_stat_statements'" && echo "pg_stat_statements.track = all"
} >>"$pgdata/postgresql.conf"
"${as[@]}" "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w start >/dev/null ||
  { cat "$pgdata/server.log" >&2; exit 1; }
psql_() { "$pgbin/psql" -X -q -At -h 127.0.0.1 -p "$port" -U bench "$@"; }
dbn=0
# A new empty database: its URL in $url (not in a subshell, so that $dbn counts).
fresh_db() { dbn=$((dbn + 1)); psql_ -d postgres -c "CREATE DATABASE b$dbn" >/dev/null; url="postgresql://bench@127.0.0.1:$port/b$dbn"; }

# Prints "wall cpu" for the command after --.
timed() {
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
    echo "failed: $*" >&2; cat "$work/err" >&2; exit 1; }
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$work/time"
}
imp=("$cli" import --quiet --json $workers --db)
import_() { "${imp[@]}" "$@"; }
stored() { "$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["stored"])' "$1"; }

: >"$work/sqlite.txt"; : >"$work/pg.txt"; : >"$work/one.txt"; : >"$work/two.txt"
: >"$work/schema-sqlite.txt"; : >"$work/schema-pg.txt"; : >"$work/server-cpu.txt"
# The store is made first (`stats` on a new database makes its schema: on a
# server ~0.5 s of DDL), timed apart: what is compared is the import into an
# empty store.
make_store() { timed "$cli" --db "$1" stats >>"$2"; }
# CPU seconds of the cluster so far: the postmaster's own and its reaped
# children's (a backend's time moves there when it exits), and its live children's.
server_cpu() {
  local pm ticks pid
  pm=$(head -1 "$pgdata/postmaster.pid")
  ticks=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$pm/stat")
  for pid in $(pgrep -P "$pm"); do
    [ -r "/proc/$pid/stat" ] && ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$ticks $(getconf CLK_TCK)" | awk '{printf "%.2f\n", $1 / $2}'
}
for i in $(seq 1 "$runs"); do
  echo "run $i of $runs ..." >&2
  rm -f "$work/db.sqlite3"*
  make_store "$work/db.sqlite3" "$work/schema-sqlite.txt"
  timed "${imp[@]}" "$work/db.sqlite3" "$work/reports1.jsonl" >>"$work/sqlite.txt"
  [ "$(stored "$work/out")" = "$reports" ] || { echo "SQLite stored $(stored "$work/out"), not $reports" >&2; exit 1; }
  fresh_db
  make_store "$url" "$work/schema-pg.txt"
  [ "$stats" = 1 ] && psql_ -d "b$dbn" -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()' >/dev/null
  before=$(server_cpu)
  timed "${imp[@]}" "$url" "$work/reports1.jsonl" >>"$work/pg.txt"
  echo "$before $(server_cpu)" | awk '{printf "%.2f\n", $2 - $1}' >>"$work/server-cpu.txt"
  cp "$work/out" "$work/pg-summary.json"
  [ "$(stored "$work/out")" = "$reports" ] || { echo "PostgreSQL stored $(stored "$work/out"), not $reports" >&2; exit 1; }
  [ "$stats" = 1 ] && psql_ -d "b$dbn" -F ' | ' -c "SELECT round(total_exec_time::numeric, 0) AS ms, calls,
        round((total_exec_time / calls)::numeric, 3) AS ms_per_call, left(regexp_replace(query, '\s+', ' ', 'g'), 110)
      FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      ORDER BY total_exec_time DESC LIMIT 12" >"$work/stats.txt"
  fresh_db
  make_store "$url" /dev/null
  timed "${imp[@]}" "$url" "$work/reports1.jsonl" "$work/reports2.jsonl" >>"$work/one.txt"
  # Two importers at once on a fresh database: the wall time is the later one's end.
  fresh_db
  make_store "$url" /dev/null
  start=$(date +%s.%N)
  import_ "$url" "$work/reports1.jsonl" >"$work/a.json" 2>"$work/a.err" & a=$!
  import_ "$url" "$work/reports2.jsonl" >"$work/b.json" 2>"$work/b.err" & b=$!
  wait $a || { echo "importer 1 failed" >&2; cat "$work/a.err" >&2; exit 1; }
  wait $b || { echo "importer 2 failed" >&2; cat "$work/b.err" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$start $end" | awk '{printf "%.2f\n", $2 - $1}' >>"$work/two.txt"
  total=$(($(stored "$work/a.json") + $(stored "$work/b.json")))
  [ "$total" = $((2 * reports)) ] || { echo "two importers stored $total, not $((2 * reports))" >&2; exit 1; }
done

settings=$(psql_ -d postgres -c "SELECT name || '=' || current_setting(name) FROM pg_settings WHERE name IN
  ('fsync', 'synchronous_commit', 'shared_buffers', 'wal_level', 'full_page_writes') ORDER BY name" | tr '\n' ' ')
version=$(psql_ -d postgres -c 'SHOW server_version')
"$py" - "$work" "$reports" "$(stat -c %s "$work/reports1.jsonl")" "$version" "$settings" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, statistics, sys
work, reports, size, version, settings, load = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), *sys.argv[4:]
def col(name, c=0):
    return [float(l.split()[c]) for l in open(f'{work}/{name}.txt') if l.strip()]
med = statistics.median
sw, sc, pw, pc = med(col('sqlite')), med(col('sqlite', 1)), med(col('pg')), med(col('pg', 1))
ow, tw = med(col('one')), med(col('two'))
n = len(col('sqlite'))
s = json.load(open(f'{work}/pg-summary.json'))
cpu = s.get('cpu_seconds', {})
print(f"PostgreSQL {version} on 127.0.0.1 (its own cluster): {settings.strip()}")
print(f"v1 file: {reports} reports, {size / 2**20:.0f} MB; medians of {n} interleaved runs; load average now {load}")
print(f"  SQLite:     {sw:6.2f} s wall = {reports / sw:6.0f} reports/s  ({sc:.2f} s importer CPU)")
print(f"  PostgreSQL: {pw:6.2f} s wall = {reports / pw:6.0f} reports/s  ({pc:.2f} s importer CPU; last run: reader"
      f" {cpu.get('reader', 0):.2f} s, workers {cpu.get('workers', 0):.2f} s, writer {cpu.get('writer', 0):.2f} s)")
print(f"  PostgreSQL's server CPU meanwhile: {med(col('server-cpu')):.2f} s; importer and server together:"
      f" {(pc + med(col('server-cpu'))) / pw:.2f} cores busy on average")
print(f"  ratio PG/SQLite: {sw / pw:.2f} (aim >= 0.5), each into an empty store made before (making it:"
      f" SQLite {med(col('schema-sqlite')):.2f} s, PostgreSQL {med(col('schema-pg')):.2f} s)")
print(f"two files ({2 * reports} reports) into PostgreSQL; runs: one {col('one')}, two {col('two')}")
print(f"  one importer, both files:      {ow:6.2f} s wall = {2 * reports / ow:6.0f} reports/s")
print(f"  two importers at once, 1 each: {tw:6.2f} s wall = {2 * reports / tw:6.0f} reports/s")
print(f"  ratio one/two: {ow / tw:.2f} (aim > 1: several importers faster than one)")
PY
if [ "$stats" = 1 ]; then
  echo "pg_stat_statements of the last single PostgreSQL import (ms | calls | ms/call | statement):"
  cat "$work/stats.txt"
fi
