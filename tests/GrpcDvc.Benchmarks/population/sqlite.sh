# Sourced by run.sh when PROVIDER=sqlite (issue 10, item 6: the same path on SQLite stays correct,
# measured at 100,000 citizens). Generates COUNT citizens into a fresh SQLite file with the server's
# own command, runs the SQL of one lookup with /usr/bin/python3's sqlite3 module as the yardstick
# (sqlite-yardstick.py: one process, one connection; SQLite has one writer), then LookupCitizen and
# SearchCitizens over gRPC (grpc.sh) with the server's CPU per call, and writes
# reports/population-sqlite-COUNT-<stamp>.md. Uses the settings run.sh has read.

work=$(mktemp -d /tmp/grpcdvc-popbench-sqlite-XXXXXX)
trap 'rm -rf "$work"' EXIT
data="$work/data"
db="$data/grpcdvc.db"
# sql QUERY: rows as tab-separated lines.
sql() {
  python3 -c 'import sqlite3, sys
for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):
    print("\t".join("" if v is None else str(v) for v in row))' "$db" "$1"
}
# thousands N: 1234567 → 1,234,567, whatever the locale.
thousands() { python3 -c 'import sys; print(f"{int(sys.argv[1]):,}")' "$1"; }
server_db=(--Dvc:Database:Provider=sqlite "--Dvc:DataDir=$data")

echo "run.sh: building the server (Release)"
dotnet build "$repo/server/GrpcDvc.Server/GrpcDvc.Server.csproj" -c Release --nologo -v quiet >/dev/null
server="$repo/server/GrpcDvc.Server/bin/Release/net10.0/GrpcDvc.Server.dll"

# --- 1. generation + load into a fresh file --------------------------------------------------
echo "run.sh: population generate --count $count --seed $seed into $db"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
load_started=$(date +%s.%N)
/usr/bin/time -f "%M %e %U %S" -o "$work/time.txt" \
  dotnet "$server" population generate --count "$count" --seed "$seed" "${server_db[@]}" \
    --Logging:LogLevel:Default=Warning \
    >"$work/summary.txt" 2> >(tee "$work/progress.txt" >&2)
load_wall=$(echo "$(date +%s.%N) - $load_started" | bc)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cat "$work/summary.txt"
read -r peak_kb _ cpu_user cpu_sys < "$work/time.txt"
db_bytes=$(stat -c %s "$db")
tables=$(for t in citizens households identity_documents residence_records; do
  printf '| %s | %s |\n' "$t" "$(thousands "$(sql "SELECT COUNT(*) FROM $t")")"; done)

# --- 2. the yardstick: the lookup's SQL in one process, one connection -------------------------
bench_load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "run.sh: sampling $sample ID numbers and $names names with birth years"
sql "SELECT id_number FROM citizens ORDER BY random() LIMIT $sample" > "$work/ids.txt"
sql "SELECT full_name, birth_year FROM citizens ORDER BY random() LIMIT $names" > "$work/names.txt"
echo "run.sh: python3 sqlite3, select-only, 1 connection, $duration s"
read -r y_tps y_p50 y_p99 y_cpu < <(python3 "$here/sqlite-yardstick.py" "$db" "$work/ids.txt" "$duration" select)
echo "   $y_tps tx/s, p50 $y_p50 ms, p99 $y_p99 ms, $y_cpu CPU ms/tx"
echo "run.sh: python3 sqlite3, lookup transaction (read + access-log insert), 1 connection, $duration s"
read -r ytx_tps ytx_p50 ytx_p99 ytx_cpu < <(python3 "$here/sqlite-yardstick.py" "$db" "$work/ids.txt" "$duration" tx)
echo "   $ytx_tps tx/s, p50 $ytx_p50 ms, p99 $ytx_p99 ms, $ytx_cpu CPU ms/tx"
# The gRPC run starts from an empty access log, as on PostgreSQL.
sql "DELETE FROM data_accesses" >/dev/null

# --- 3. LookupCitizen and SearchCitizens over gRPC --------------------------------------------
# shellcheck source=grpc.sh
source "$here/grpc.sh"
grpc_population_load "" "${server_db[@]}"
bench_load_after=$(cut -d' ' -f1-3 /proc/loadavg)
logged=$(sql "SELECT COUNT(*) FROM data_accesses")

# --- 4. report -----------------------------------------------------------------------------
mkdir -p "$reports"
stamp=$(date -u +%Y-%m-%dT%H%MZ)
report="$reports/population-sqlite-$count-$stamp.md"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
mem=$(free -g | awk '/Mem:/ {print $2 " GiB"}')
elapsed=$(grep -oE 'elapsed +[0-9.,]+' "$work/summary.txt" | awk '{print $2}')
sqlite_version=$(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)')
{
  echo "# Population benchmark on SQLite: $(thousands "$count") citizens"
  echo
  echo "Run $stamp by \`PROVIDER=sqlite tests/GrpcDvc.Benchmarks/population/run.sh\` (COUNT=$count SEED=$seed DURATION=$duration WARMUP=$warmup PERF=$perf)."
  echo "Machine: $(nproc) cores ($cpu), $mem; $(dotnet --version | sed 's/^/.NET SDK /'); the yardstick's SQLite $sqlite_version"
  echo "(python3), the server's the one Microsoft.Data.Sqlite bundles. The database is the server's own file, in its"
  echo "write-ahead-log mode with SQLite's default synchronous=FULL (every commit on disk)."
  echo "The cores are shared with whatever else runs on the machine at the time; figures vary with it"
  echo "(load average before the load: $load_before; after it: $load_after)."
  load_summary_head
  echo "| database file | $(numfmt --to=iec-i --suffix=B "$db_bytes") ($db_bytes bytes) |"
  echo "| peak memory of the command (max RSS) | $((peak_kb / 1024)) MiB |"
  echo "| CPU time of the command (SQLite runs inside it) | user ${cpu_user} s, sys ${cpu_sys} s |"
  echo
  echo "| table | rows |"
  echo "|---|---:|"
  echo "$tables"
  echo
  echo "## Lookup of a citizen by ID number"
  echo
  echo "Load average before the lookup runs: $bench_load_before; after them: $bench_load_after."
  echo
  echo "Yardstick: python3's sqlite3 module, one process, **one connection**, $duration s each, random ID numbers of a"
  echo "$(thousands "$(wc -l < "$work/ids.txt")")-number sample: **select-only** reads one citizen through the unique index on id_number;"
  echo "**lookup tx** is the SQL one LookupCitizen needs (BEGIN, that read, the access-log INSERT, COMMIT)."
  echo "SQLite has one writer: however many connections, the commits of the log entries go one at a time,"
  echo "so more connections would queue for the write lock rather than add lookups; one is the fair yardstick."
  echo
  echo "| yardstick (1 connection) | tx/s | p50 ms | p99 ms | CPU ms/tx (python + SQLite) |"
  echo "|---|---:|---:|---:|---:|"
  echo "| select-only | $y_tps | $y_p50 | $y_p99 | $y_cpu |"
  echo "| lookup tx | $ytx_tps | $ytx_p50 | $ytx_p99 | $ytx_cpu |"
  echo
  echo "LookupCitizen over gRPC, identity verification by one official, as many callers as listed (CPU from"
  echo "/proc over each measured level; SQLite runs inside the server process, so its CPU is the server's):"
  echo
  cpu_table lookup "$clients" 0
  echo
  echo "| callers | gRPC / lookup tx | failures |"
  echo "|---:|---:|---|"
  for c in $clients; do
    g=${lvl[lookup:$c:calls_per_s]:-}
    [ -n "$g" ] && echo "| $c | $(echo "scale=2; $g / $ytx_tps" | bc) | ${lvl[lookup:$c:failures]} |"
  done
  lookup_profile_report
  echo
  echo "## SearchCitizens over gRPC"
  echo
  echo "Full name (with diacritics, as stored) and birth year of $(thousands "$(wc -l < "$work/names.txt")") sampled citizens, first page (50, the default size)"
  echo "with its total, identity verification, one official of national scope; every call writes one access-log"
  echo "entry per citizen returned. Load average before: $search_load_before; after: $search_load_after."
  echo
  cpu_table search "$search_clients" 0
  echo
  echo "Failures: $(for c in $search_clients; do printf '%s at %s callers; ' "${lvl[search:$c:failures]:-not measured}" "$c"; done | sed 's/; $//')."
  echo "access-log entries written by the gRPC runs: $(thousands "$logged")."
  echo
  echo "The yardstick's SQL (sqlite-yardstick.py):"
  echo
  echo '```'
  sed -n '/^READ = /,/^ACCESSOR = /p' "$here/sqlite-yardstick.py"
  echo '```'
} > "$report"
echo "run.sh: report written to $report"
cat "$report"
