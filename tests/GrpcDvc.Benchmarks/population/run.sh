#!/usr/bin/env bash
# Population benchmark (issues 4 and 10): generate and bulk-load COUNT citizens with the server's own
# command (`population generate`), then measure LookupCitizen and SearchCitizens over gRPC beside
# the database doing the same work alone, and write a Markdown report under
# tests/GrpcDvc.Benchmarks/reports/.
# Not a test: it prints figures, it does not pass or fail on them.
#
# PostgreSQL (PROVIDER=postgres, the default), on a throwaway cluster: at 1, 16 and 64 clients a raw
# lookup of a citizen by ID number with pgbench (select-only), the SQL of one whole LookupCitizen with
# pgbench (the read and the access-log insert in one transaction), and LookupCitizen over gRPC; then
# SearchCitizens over gRPC at 1 and 16 callers (full names and birth years of sampled citizens, first
# page), with the plan of one search. Report population-COUNT-<stamp>.md.
#
# SQLite (PROVIDER=sqlite, COUNT 100,000 by default), in a fresh database file: the same SQL run by
# /usr/bin/python3's sqlite3 module in one process at one connection (sqlite-yardstick.py; SQLite has
# one writer), then the same gRPC levels. Report population-sqlite-COUNT-<stamp>.md.
#
# Every gRPC level also reports CPU milliseconds per call of the server process, of PostgreSQL (the
# postmaster with its backends) and of the load driver, read from /proc right before and after the
# level (the driver's --cpu-pids). PERF=1 records a whole-machine perf profile of the 16-caller
# LookupCitizen level alone (profile.sh) and puts the samples per process and the top symbols of the
# server and of PostgreSQL into the report; perf's own cost is then in that level's figures.
#
#   tests/GrpcDvc.Benchmarks/population/run.sh                      # 10,000,000 citizens, PostgreSQL
#   COUNT=1000000 PERF=1 tests/GrpcDvc.Benchmarks/population/run.sh
#   PROVIDER=sqlite tests/GrpcDvc.Benchmarks/population/run.sh      # 100,000 citizens, SQLite
#
# The cluster is started the way the test suite's Support/PostgresCluster does it: Debian's
# initdb/pg_ctl (package postgresql), as the 'postgres' OS user when run as root, a free port, a
# temp folder that is deleted at the end. It keeps PostgreSQL's durability defaults (fsync on);
# it only sizes memory and WAL for a bulk load, and uses wal_level=minimal, which lets COPY into a
# table truncated in the same transaction skip the WAL. SQLite keeps the server's own settings
# (write-ahead log, synchronous FULL).
#
# Settings (environment):
#   PROVIDER=postgres             or sqlite
#   COUNT=10000000 SEED=42        citizens to generate (100000 on SQLite) and the generator's seed
#   CLIENTS="1 16 64"             pgbench clients and gRPC LookupCitizen callers
#   DURATION=20                   seconds per measured level
#   WARMUP=3                      seconds of calls before each gRPC level, not measured (JIT, pools; 15+ for a profile)
#   SAMPLE=100000                 ID numbers sampled for the lookups
#   SEARCH_CLIENTS="1 16"         gRPC SearchCitizens caller counts
#   NAMES=10000                   names (with birth years) sampled for the searches
#   PERF=0                        1 profiles the 16-caller LookupCitizen level (needs perf, root or
#                                 kernel.perf_event_paranoid <= 0)
#   KEEP=0                        1 keeps the PostgreSQL cluster running at the end (prints how to reach it)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
provider=${PROVIDER:-postgres}
case "$provider" in
  postgres) count=${COUNT:-10000000} ;;
  sqlite) count=${COUNT:-100000} ;;
  *) echo "run.sh: PROVIDER is postgres or sqlite, not '$provider'" >&2; exit 2 ;;
esac
perf=${PERF:-0}
seed=${SEED:-42}
clients=${CLIENTS:-"1 16 64"}
duration=${DURATION:-20}
warmup=${WARMUP:-3}
sample=${SAMPLE:-100000}
keep=${KEEP:-0}
search_clients=${SEARCH_CLIENTS:-"1 16"}
names=${NAMES:-10000}
reports="$repo/tests/GrpcDvc.Benchmarks/reports"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
# shellcheck source=profile.sh
source "$here/profile.sh"
# shellcheck source=report.sh
source "$here/report.sh"
if [ "$perf" = 1 ]; then
  command -v perf >/dev/null || { echo "run.sh: PERF=1 needs perf (apt-get install linux-perf)" >&2; exit 1; }
fi
if [ "$provider" = sqlite ]; then
  # shellcheck source=sqlite.sh
  source "$here/sqlite.sh"
  exit
fi

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pgbin/initdb" ] || { echo "run.sh: no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 1; }
command -v pgbench >/dev/null || [ -x "$pgbin/pgbench" ] || { echo "run.sh: pgbench not found" >&2; exit 1; }
pgbench=$( [ -x "$pgbin/pgbench" ] && echo "$pgbin/pgbench" || command -v pgbench )
psql=$( [ -x "$pgbin/psql" ] && echo "$pgbin/psql" || command -v psql )

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

work=$(mktemp -d /tmp/grpcdvc-popbench-XXXXXX)
chmod 700 "$work"
[ "$(id -u)" -eq 0 ] && chown postgres: "$work"
data="$work/data"
cleanup() {
  if [ "$keep" = 1 ]; then
    echo "run.sh: cluster kept: $psql -h 127.0.0.1 -p $port -U postgres dvc   (stop: $pgbin/pg_ctl -D $data stop)"
    return
  fi
  as_pg "$pgbin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "run.sh: building the server (Release)"
dotnet build "$repo/server/GrpcDvc.Server/GrpcDvc.Server.csproj" -c Release --nologo -v quiet >/dev/null
server="$repo/server/GrpcDvc.Server/bin/Release/net10.0/GrpcDvc.Server.dll"

echo "run.sh: starting a throwaway PostgreSQL cluster in $work"
as_pg "$pgbin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
port=$(free_port)
settings="-c shared_buffers=1GB -c maintenance_work_mem=1GB -c max_wal_size=16GB -c checkpoint_timeout=30min -c wal_level=minimal -c max_wal_senders=0 -c max_connections=200"
as_pg "$pgbin/pg_ctl" -D "$data" -l "$work/postgres.log" -w -t 60 \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1 $settings" start >/dev/null
q() { "$psql" -h 127.0.0.1 -p "$port" -U postgres -d dvc -At -c "$1"; }
"$psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE dvc"
conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=dvc"

# --- 1. generation + load -------------------------------------------------------------------
echo "run.sh: population generate --count $count --seed $seed"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
load_started=$(date +%s.%N)
/usr/bin/time -f "%M %e %U %S" -o "$work/time.txt" \
  dotnet "$server" population generate --count "$count" --seed "$seed" \
    --Dvc:Database:Provider=postgres "--Dvc:Database:ConnectionString=$conn" \
    >"$work/summary.txt" 2> >(tee "$work/progress.txt" >&2)
load_wall=$(echo "$(date +%s.%N) - $load_started" | bc)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cat "$work/summary.txt"
read -r peak_kb _ cpu_user cpu_sys < "$work/time.txt"
db_bytes=$(q "SELECT pg_database_size('dvc')")
db_pretty=$(q "SELECT pg_size_pretty(pg_database_size('dvc'))")
search_index=$(q "SELECT pg_size_pretty(pg_relation_size('ix_citizens_search_keys')) || ' (' || pg_relation_size('ix_citizens_search_keys') || ' bytes)'")
tables=$(q "SELECT '| ' || relname || ' | ' || to_char(n_live_tup, 'FM999,999,999,999') || ' | ' || pg_size_pretty(pg_table_size(relid)) || ' | ' || pg_size_pretty(pg_indexes_size(relid)) || ' |' FROM pg_stat_user_tables WHERE relname IN ('citizens','households','identity_documents','residence_records') ORDER BY relname")

# --- 2. raw lookup by ID number with pgbench, and the lookup's whole transaction ---------------
# pgbench cannot make up valid ID numbers, so a sample of real ones goes into a small numbered
# table; each transaction picks one at random and reads the citizen through the unique index on
# id_number, which is what LookupCitizen does. The sample table is tiny and stays in cache.
# Two scripts: lookup.sql is that read alone (what the database can do at best); lookup-tx.sql is
# the SQL one LookupCitizen needs, the yardstick our rpc is held to: the citizen read (the
# benchmark's purpose, identity verification, shows no cards, so no documents are read) and the
# access-log INSERT, in one transaction, as the server writes it (same columns and fields).
bench_load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "run.sh: sampling $sample ID numbers"
q "CREATE TABLE bench_ids AS SELECT row_number() OVER () AS n, id_number FROM (SELECT id_number FROM citizens TABLESAMPLE SYSTEM (5) LIMIT $sample) s; ALTER TABLE bench_ids ADD PRIMARY KEY (n); ANALYZE bench_ids" >/dev/null
ids=$(q "SELECT COUNT(*) FROM bench_ids")
q "COPY (SELECT id_number FROM bench_ids ORDER BY n) TO STDOUT" > "$work/ids.txt"
[ "$(q "SELECT to_regclass('data_accesses') IS NOT NULL")" = t ] || { echo "run.sh: no data_accesses table (migrations not run?)" >&2; exit 1; }
cat > "$work/lookup.sql" <<SQL
\set n random(1, $ids)
SELECT c.* FROM citizens c WHERE c.id_number = (SELECT b.id_number FROM bench_ids b WHERE b.n = :n);
SQL
cat > "$work/lookup-tx.sql" <<SQL
\set n random(1, $ids)
BEGIN;
SELECT c.* FROM citizens c WHERE c.id_number = (SELECT b.id_number FROM bench_ids b WHERE b.n = :n);
INSERT INTO data_accesses (id, at, accessor_account_id, accessor_name, accessor_role, agency_code, purpose, reference, legal_basis, subject_id_number, fields, rpc) SELECT gen_random_uuid(), (extract(epoch FROM clock_timestamp()) * 1000)::bigint, '00000000-0000-0000-0000-0000000be0f1', 'Bench Officer', 'processing_officer', NULL, 2, 'BENCH', NULL, b.id_number, 'id_number,full_name,other_names,birth_date,gender,nationality,status', '/dvc.population.v1.PopulationService/LookupCitizen' FROM bench_ids b WHERE b.n = :n;
COMMIT;
SQL
cp "$work/lookup.sql" "$work/lookup.sql.keep"
cp "$work/lookup-tx.sql" "$work/lookup-tx.sql.keep"
[ "$(id -u)" -eq 0 ] && chown -R postgres: "$work"

percentile() { # file-of-latencies-us percentile → ms
  sort -n "$1" | awk -v p="$2" '{a[NR]=$1} END {i=int((NR*p+99)/100); if (i<1) i=1; printf "%.3f", a[i]/1000}'
}
# One pgbench level: bench SCRIPT CLIENTS → prints "tps p50_ms p99_ms".
bench() {
  local script=$1 c=$2 jobs out
  jobs=$(( c < 2 ? 1 : 2 ))
  out="$work/pgbench-${script%.sql}-$c.txt"
  rm -f "$work"/pgb.*
  (cd "$work" && "$pgbench" -h 127.0.0.1 -p "$port" -U postgres -n -M prepared -f "$script" \
     -c "$c" -j "$jobs" -T "$duration" --log --log-prefix=pgb dvc) > "$out" 2>&1
  cat "$work"/pgb.* | awk '{print $3}' > "$work/lat.txt"
  echo "$(grep -oE 'tps = [0-9.]+' "$out" | tail -1 | awk '{printf "%.0f", $3}') $(percentile "$work/lat.txt" 50) $(percentile "$work/lat.txt" 99)"
}
declare -A tps p50 p99 tx_tps tx_p50 tx_p99
echo "run.sh: warm-up (5 s, 16 clients)"
"$pgbench" -h 127.0.0.1 -p "$port" -U postgres -n -M prepared -f "$work/lookup.sql" -c 16 -j 2 -T 5 dvc >/dev/null 2>&1
for c in $clients; do
  echo "run.sh: pgbench select-only, $c clients, $duration s"
  read -r "tps[$c]" "p50[$c]" "p99[$c]" < <(bench lookup.sql "$c")
  echo "   ${tps[$c]} tps, p50 ${p50[$c]} ms, p99 ${p99[$c]} ms"
  echo "run.sh: pgbench lookup transaction (read + access-log insert), $c clients, $duration s"
  read -r "tx_tps[$c]" "tx_p50[$c]" "tx_p99[$c]" < <(bench lookup-tx.sql "$c")
  echo "   ${tx_tps[$c]} tps, p50 ${tx_p50[$c]} ms, p99 ${tx_p99[$c]} ms"
done
echo "run.sh: sampling $names names with birth years for the searches"
"$psql" -h 127.0.0.1 -p "$port" -U postgres -d dvc -At -F $'\t' \
  -c "SELECT full_name, birth_year FROM citizens TABLESAMPLE SYSTEM (1) LIMIT $names" > "$work/names.txt"
# The plan of one search's page query as the server sends it: the sample's folded name words and
# birth year as the keys (a literal here, a bound parameter from the server: both are planned with the value).
explain_name=$(head -1 "$work/names.txt" | cut -f1)
explain_year=$(head -1 "$work/names.txt" | cut -f2)
# With a birth year, a word of two letters or more is asked as its year-qualified key (1990:thi),
# a shorter one as itself, and born:<year> only when no word carries the year (CitizenSearchIndex.SearchKeys).
explain_keys=$(q "SELECT array_agg(CASE WHEN length(w) >= 2 THEN '$explain_year:' || w ELSE w END) || CASE WHEN bool_or(length(w) >= 2) THEN ARRAY[]::text[] ELSE ARRAY['born:$explain_year'] END FROM regexp_split_to_table((SELECT folded_name FROM citizens WHERE full_name = '$(echo "$explain_name" | sed "s/'/''/g")' LIMIT 1), ' ') w")
search_plan=$(q "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM citizens c WHERE citizen_search_keys(c.folded_name, c.birth_year, ARRAY[c.current_province_id, c.current_unit_id, c.permanent_unit_id, c.temporary_unit_id, c.birth_registration_unit_id], ARRAY[c.permanent_unit_id, c.temporary_unit_id, c.current_unit_id]) @> '$explain_keys'::text[] ORDER BY c.id LIMIT 51")
# The gRPC run starts from an empty access log, as the pgbench runs did.
q "TRUNCATE data_accesses" >/dev/null

# --- 3. LookupCitizen and SearchCitizens over gRPC at the same client counts ---------------------
# shellcheck source=grpc.sh
source "$here/grpc.sh"
# The postmaster's CPU counts its backends (live ones directly, exited ones through cutime/cstime).
grpc_population_load "$(head -1 "$data/postmaster.pid")" \
  --Dvc:Database:Provider=postgres "--Dvc:Database:ConnectionString=$conn"
bench_load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- 4. report -----------------------------------------------------------------------------
mkdir -p "$reports"
stamp=$(date -u +%Y-%m-%dT%H%MZ)
report="$reports/population-$count-$stamp.md"
pgversion=$("$pgbin/postgres" --version)
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
mem=$(free -g | awk '/Mem:/ {print $2 " GiB"}')
elapsed=$(grep -oE 'elapsed +[0-9.,]+' "$work/summary.txt" | awk '{print $2}')
{
  echo "# Population benchmark: $(printf "%'d" "$count") citizens"
  echo
  echo "Run $stamp at commit $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- server || echo ' (with uncommitted server changes)') by \`tests/GrpcDvc.Benchmarks/population/run.sh\` (COUNT=$count SEED=$seed DURATION=$duration WARMUP=$warmup PERF=$perf)."
  echo "Machine: $(nproc) cores ($cpu), $mem; $pgversion; $(dotnet --version | sed 's/^/.NET SDK /')."
  echo "The cores are shared with whatever else runs on the machine at the time; figures vary with it"
  echo "(load average before the load: $load_before; after it: $load_after)."
  echo "PostgreSQL settings: \`$settings\` (fsync and synchronous_commit at their defaults)."
  load_summary_head
  echo "| target | ≤ 600 s for 10,000,000 citizens |"
  echo "| database size (pg_database_size) | $db_pretty ($db_bytes bytes) |"
  echo "| name-search index ix_citizens_search_keys (pg_relation_size) | $search_index |"
  echo "| peak memory of the command (max RSS) | $((peak_kb / 1024)) MiB |"
  echo "| CPU time of the command (generator + client side of COPY; PostgreSQL's own not included) | user ${cpu_user} s, sys ${cpu_sys} s |"
  echo
  echo "| table | rows (planner's estimate after ANALYZE) | table size | index size |"
  echo "|---|---|---|---|"
  echo "$tables"
  echo
  echo "## Lookup of a citizen by ID number"
  echo
  echo "Load average before the lookup runs: $bench_load_before; after them: $bench_load_after."
  echo
  echo "pgbench (-M prepared, $duration s per row, latencies from --log), random ID numbers of a $(printf "%'d" "$ids")-number"
  echo "sample: **select-only** reads one citizen through the unique index on id_number; **lookup tx** is the"
  echo "SQL one LookupCitizen needs (BEGIN, that read, the access-log INSERT, COMMIT). gRPC: LookupCitizen"
  echo "for identity verification by one official, as many callers as clients."
  echo
  echo "| clients | select-only tx/s | p50 ms | p99 ms | lookup tx tx/s | p50 ms | p99 ms | gRPC LookupCitizen calls/s | p50 ms | p99 ms | gRPC / select-only | gRPC / lookup tx |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  for c in $clients; do
    g=${lvl[lookup:$c:calls_per_s]:-}
    if [ -n "$g" ]; then
      ratio=$(echo "scale=2; $g / ${tps[$c]}" | bc)
      tx_ratio=$(echo "scale=2; $g / ${tx_tps[$c]}" | bc)
      echo "| $c | ${tps[$c]} | ${p50[$c]} | ${p99[$c]} | ${tx_tps[$c]} | ${tx_p50[$c]} | ${tx_p99[$c]} | $g | ${lvl[lookup:$c:p50_ms]} | ${lvl[lookup:$c:p99_ms]} | $ratio | $tx_ratio |"
    else
      echo "| $c | ${tps[$c]} | ${p50[$c]} | ${p99[$c]} | ${tx_tps[$c]} | ${tx_p50[$c]} | ${tx_p99[$c]} | not measured | | | | |"
    fi
  done
  echo
  echo "Targets (issue 10): LookupCitizen p99 ≤ 5 ms at 16 callers; ≥ 0.5 of the lookup-tx rate."
  echo
  echo "CPU per LookupCitizen (from /proc, over each measured level: the server process; PostgreSQL's"
  echo "postmaster with every backend; the load driver). The three share the machine's $(nproc) cores."
  echo
  cpu_table lookup "$clients" 1
  lookup_profile_report
  echo
  echo "## SearchCitizens over gRPC"
  echo
  echo "Full name (with diacritics, as stored) and birth year of $(printf "%'d" "$(wc -l < "$work/names.txt")") sampled citizens, first page (50, the default size) with"
  echo "its total (counted up to Dvc:Population:SearchCountLimit, 1,000), identity verification, one official of"
  echo "national scope; every call writes one access-log entry per citizen returned. Load average before: $search_load_before; after: $search_load_after."
  echo
  cpu_table search "$search_clients" 1
  echo
  echo "Target (issue 10): SearchCitizens p99 ≤ 50 ms. The plan of one sample's page query (keys $explain_keys):"
  echo
  echo '```'
  echo "$search_plan"
  echo '```'
  echo

  echo "The pgbench scripts, select-only then lookup tx:"
  echo
  echo '```'
  cat "$work/lookup.sql.keep"
  echo '```'
  echo
  echo '```'
  cat "$work/lookup-tx.sql.keep"
  echo '```'
} > "$report"
echo "run.sh: report written to $report"
cat "$report"
