#!/usr/bin/env bash
# Issue 13's query figures on both engines, side by side (issue 17, "Speed"):
#   bench/bench_pg_queries.sh [BUILD_DIR] [--sizes "250000 500000 1000000"] [--quick]
#                             [--any-build] [--engines "sqlite postgresql"]
# 1. The SQLite databases: bench/build_bench_db.sh (through the real importer,
#    cached; the largest size builds the smaller ones as copies on the way).
#    --any-build is passed on: reuse the files another build of errordeck-cli made.
# 2. A PostgreSQL 15 cluster of its own (initdb, 127.0.0.1 on a free port, trust
#    logins, fsync=off: the disk is not what is measured; as root it runs as
#    Debian's `postgres` user), its data directory cached beside the SQLite files,
#    keyed the same way: ~/.cache/errordeck-bench/KEY/pg15 (as root
#    /var/tmp/errordeck-bench/KEY/pg15: the postgres user cannot enter /root).
# 3. Each size copied into a database of its own with `errordeck-cli copy-store`
#    (a real product path; it keeps the ids and verifies), then VACUUM ANALYZE
#    (what autovacuum does after a bulk load, done now rather than some time
#    later). A database is reused when it was copied from the same file into the
#    schema this build makes (pg_dump -s compared); else copied again.
# 4. build/bench/bench_queries on the SQLite file and on the PostgreSQL database,
#    one after the other, and one table per size: figure, SQLite, PostgreSQL, target.
# Wall times are only meaningful on a quiet machine: the load average is printed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
build="$root/build"
sizes="250000 500000 1000000"
quick="" any_build="" engines="sqlite postgresql"
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) sizes="$2"; shift 2 ;;
    --quick) quick=--quick; shift ;;
    --any-build) any_build=--any-build; shift ;;
    --engines) engines="$2"; shift 2 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) build="$1"; shift ;;
  esac
done
cli="$build/app/errordeck-cli/errordeck-cli"
bq="$build/bench/bench_queries"
py=/usr/bin/python3
pgbin=/usr/lib/postgresql/15/bin
for x in "$cli" "$bq"; do [ -x "$x" ] || { echo "build first: $x is missing" >&2; exit 1; }; done
[ -x "$pgbin/initdb" ] || { echo "PostgreSQL 15 is missing ($pgbin/initdb): apt-get install postgresql-15" >&2; exit 1; }

# 1. The SQLite files: the largest size's build leaves the others beside it.
largest=$(printf '%s\n' $sizes | sort -n | tail -n 1)
final=$("$here/build_bench_db.sh" "$build" --reports "$largest" $any_build | tail -n 1)
cache=$(dirname "$final")
for n in $sizes; do
  [ -f "$cache/reports-$n.sqlite3" ] || { echo "no $cache/reports-$n.sqlite3 (the stops are 250000 and 500000)" >&2; exit 1; }
done

# 2. The cluster.
work="$(mktemp -d)"
chmod 755 "$work"
as=()
if [ "$(id -u)" = 0 ]; then
  as=(runuser -u postgres --)
  pgcache="/var/tmp/errordeck-bench/$(basename "$cache")"
else
  pgcache="$cache"
fi
pgdata="$pgcache/pg15"
stop_pg() { [ -f "$pgdata/postmaster.pid" ] && "${as[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m fast stop >/dev/null 2>&1 || true; }
trap 'stop_pg; rm -rf "$work"' EXIT
if [ ! -f "$pgdata/PG_VERSION" ]; then
  mkdir -p "$pgdata"
  [ ${#as[@]} -eq 0 ] || chown postgres "$pgdata"
  chmod 700 "$pgdata"
  "${as[@]}" "$pgbin/initdb" -D "$pgdata" -U bench --auth=trust -E UTF8 --no-locale --no-sync --no-instructions \
    >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; exit 1; }
  cp "$pgdata/postgresql.conf" "$pgdata/postgresql.conf.initdb"
fi
port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
{
  cat "$pgdata/postgresql.conf.initdb"
  echo "listen_addresses = '127.0.0.1'"
  echo "port = $port"
  echo "unix_socket_directories = '$pgdata'"
  echo "fsync = off"
  echo "shared_buffers = 1GB" # a server's own memory for pages (the default 128MB is for tiny machines)
  echo "max_connections = 20"
} >"$work/postgresql.conf"
"${as[@]}" cp "$work/postgresql.conf" "$pgdata/postgresql.conf"
"${as[@]}" "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w start >/dev/null ||
  { tail -n 20 "$pgdata/server.log" >&2; exit 1; }
psql_() { "$pgbin/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U bench "$@"; }
url_of() { echo "postgresql://bench@127.0.0.1:$port/$1"; }

# The schema this build makes, to know whether a cached copy still fits it.
# (pg_dump's \restrict lines carry a new random key each run: left out.)
schema_of() {
  "$pgbin/pg_dump" -s -h 127.0.0.1 -p "$port" -U bench -d "$1" | grep -v -e '^--' -e '^\\restrict' -e '^\\unrestrict' |
    md5sum | cut -c1-16
}
psql_ -d postgres -c "DROP DATABASE IF EXISTS probe" -c "CREATE DATABASE probe"
"$cli" --db "$(url_of probe)" stats >/dev/null
want=$(schema_of probe)
psql_ -d postgres -c "DROP DATABASE probe"

# 3. One database per size, copied from its file.
for n in $sizes; do
  file="$cache/reports-$n.sqlite3"
  db="r$n"
  key="from $(basename "$file") $(stat -c '%s %Y' "$file") schema $want"
  have=$(psql_ -d postgres -c "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$db'")
  if [ "$have" = "$key" ] && [ "$(schema_of "$db")" = "$want" ]; then
    echo "reusing PostgreSQL database $db ($key)" >&2
    continue
  fi
  exists=$(psql_ -d postgres -c "SELECT count(*) FROM pg_database WHERE datname = '$db'")
  if [ "$exists" = 1 ] && [ -z "$have" ] && [ "$(schema_of "$db")" = "$want" ]; then
    echo "resuming the copy into $db (it stopped before its end)" >&2
  else # none, or stale (another file or schema): a new one
    psql_ -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  fi
  echo "copy-store $file -> $db ..." >&2
  s=$(date +%s.%N)
  "$cli" copy-store --quiet "$file" "$(url_of "$db")" >"$work/copy.out" 2>&1 || { cat "$work/copy.out" >&2; exit 1; }
  m=$(date +%s.%N)
  psql_ -d "$db" -c "VACUUM (ANALYZE)"
  e=$(date +%s.%N)
  "$py" -c "print(f'  copied in {$m - $s:.0f} s, VACUUM ANALYZE {$e - $m:.0f} s')" >&2
  psql_ -d postgres -c "COMMENT ON DATABASE $db IS '$key'"
done

settings=$(psql_ -d postgres -c "SELECT name || '=' || current_setting(name) FROM pg_settings WHERE name IN
  ('fsync', 'synchronous_commit', 'shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost',
   'jit', 'max_parallel_workers_per_gather') ORDER BY name" | tr '\n' ' ')
echo "PostgreSQL $(psql_ -d postgres -c 'SHOW server_version') on 127.0.0.1 (its own cluster, $pgdata): $settings"

# 4. Both engines, size by size, then the table.
for n in $sizes; do
  for e in $engines; do
    if [ "$e" = sqlite ]; then target="$cache/reports-$n.sqlite3"; else target="$(url_of "r$n")"; fi
    echo "bench_queries $e $n reports (load average $(cut -d' ' -f1-3 /proc/loadavg)) ..." >&2
    "$bq" "$target" $quick >"$work/$e-$n.txt"
  done
  "$py" - "$work" "$n" "$engines" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import re, sys
work, n, engines, load = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4]
# "what  search  12.3 ms (CPU 1.2)  target <  50 ms  ok  (extra)": what and search are
# two columns of 22 and 30 characters.
line = re.compile(r'^(.{22}) (.{30}) +(-?[\d.]+) ms \(CPU +[-\d.]+\)  target < +(\d+) ms +(ok|MISSED) *(.*)$')
rows, order, heads = {}, [], {}
for e in engines:
    for l in open(f'{work}/{e}-{n}.txt'):
        l = l.rstrip('\n')
        if l.startswith('database:'):
            heads[e] = l
            continue
        m = line.match(l)
        if not m:
            continue
        key = (m.group(1).strip(), m.group(2).strip())
        if key not in rows:
            rows[key] = {}
            order.append(key)
        rows[key][e] = (float(m.group(3)), m.group(5), m.group(6))
        rows[key]['target'] = int(m.group(4))
print(f'\n{n} reports; load average at the end {load}')
for e in engines:
    print(f'  {e}: {heads.get(e, "?")}')
names = {'sqlite': 'SQLite', 'postgresql': 'PostgreSQL'}
print('| figure | search | ' + ' | '.join(names[e] + ' (ms)' for e in engines) + ' | target (ms) |')
print('|---|---|' + '---|' * len(engines) + '---|')
missed = {e: 0 for e in engines}
for key in order:
    r = rows[key]
    cells = []
    for e in engines:
        if e not in r:
            cells.append('—')
            continue
        ms, ok, _ = r[e]
        if ok != 'ok':
            missed[e] += 1
        cells.append(f'{ms:.1f}' if ok == 'ok' else f'**{ms:.1f}**')
    print(f'| {key[0]} | {key[1]} | ' + ' | '.join(cells) + f' | < {r["target"]} |')
print('missed (bold): ' + ', '.join(f'{names[e]} {missed[e]} of {sum(1 for k in order if e in rows[k])}' for e in engines))
PY
done
