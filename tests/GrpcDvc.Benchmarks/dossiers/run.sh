#!/usr/bin/env bash
# Dossier benchmark (issue 11): on a throwaway PostgreSQL cluster with COUNT generated citizens, at
# 16 and 64 concurrent callers: SubmitDossier over gRPC (a residence confirmation, BCA-L4-09, the CT01
# e-form, no attachments, each caller a citizen signed in through the development VNeID stand-in),
# then the unit's cycle on the dossiers just submitted (receive, start processing, approve, issue the
# result, return it: five calls each); beside pgbench writing the same rows in the same run (a
# submission's transaction: code counter, dossier, person, first event; and one change: the
# conditional update of the dossier and its event). Writes a Markdown report under
# tests/GrpcDvc.Benchmarks/reports/. Not a test: it prints figures, it does not pass or fail on them.
#
#   tests/GrpcDvc.Benchmarks/dossiers/run.sh
#   COUNT=100000 CLIENTS="16 64" DURATION=20 tests/GrpcDvc.Benchmarks/dossiers/run.sh
#   WARMUP=10 PERF=1 CLIENTS=16 tests/GrpcDvc.Benchmarks/dossiers/run.sh
#
# Each gRPC level also gives its CPU per call: the server's, PostgreSQL's (the postmaster with its
# backends) and the load driver's, read from /proc before and after the level. PERF=1 records a
# whole-machine perf profile of the 16-caller SubmitDossier level and puts the samples per process
# and the top symbols of the server and of PostgreSQL in the report (needs perf; see population/profile.sh).
#
# Targets (issue 11): >= 1,000 submissions/s with p99 <= 50 ms on a 2-core machine.
# The verification of a 1,000,000-event history has its own script (dossiers/verify.sh).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
count=${COUNT:-100000}
clients=${CLIENTS:-"16 64"}
export DURATION=${DURATION:-20}
warmup=${WARMUP:-3}
perf=${PERF:-0}
reports="$repo/tests/GrpcDvc.Benchmarks/reports"
source "$here/../lib/postgres.sh"
# shellcheck source=../population/profile.sh
source "$here/../population/profile.sh"
if [ "$perf" = 1 ]; then
  command -v perf >/dev/null || { echo "run.sh: PERF=1 needs perf (apt-get install linux-perf)" >&2; exit 1; }
fi

echo "run.sh: building the server and the load driver (Release)"
dotnet build "$repo/server/GrpcDvc.Server/GrpcDvc.Server.csproj" -c Release --nologo -v quiet >/dev/null
dotnet build "$repo/tests/GrpcDvc.LookupLoad/GrpcDvc.LookupLoad.csproj" -c Release --nologo -v quiet >/dev/null
server="$repo/server/GrpcDvc.Server/bin/Release/net10.0/GrpcDvc.Server.dll"
driver="$repo/tests/GrpcDvc.LookupLoad/bin/Release/net10.0/GrpcDvc.LookupLoad.dll"

settings="-c shared_buffers=512MB -c max_wal_size=4GB -c max_connections=300"
pg_start "$settings"
echo "run.sh: PostgreSQL on port $port; population generate --count $count"
dotnet "$server" population generate --count "$count" --seed 42 \
  --Dvc:Database:Provider=postgres "--Dvc:Database:ConnectionString=$conn" >"$work/generate.txt"

# Living citizens with full birth dates: their declarations match the registry, as a real portal's would.
most=$(echo $clients | tr ' ' '\n' | sort -n | tail -1)
"$psql" -h 127.0.0.1 -p "$port" -U postgres -d dvc -At -F $'\t' -c "
  SELECT c.id_number, c.full_name,
         lpad(c.birth_year::text, 4, '0') || '-' || lpad(c.birth_month::text, 2, '0') || '-' || lpad(c.birth_day::text, 2, '0'),
         CASE c.gender WHEN 2 THEN 'female' ELSE 'male' END, u.code
  FROM citizens c JOIN administrative_units u ON u.id = c.permanent_unit_id
  WHERE c.birth_month IS NOT NULL AND c.birth_day IS NOT NULL AND c.status = 1 AND c.birth_year <= 2006
  ORDER BY c.id LIMIT $((most * 2))" > "$work/citizens.txt"

gport=$(free_port)
admin_pw="Bench-admin-2026!"; admin_totp="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# All the driver's citizens sign in from one address: the per-address sign-in limit is raised for the run.
echo "run.sh: starting the server (gRPC port $gport, development sign-in stand-ins on)"
DOTNET_PerfMapEnabled=$perf DOTNET_EnableWriteXorExecute=$((1 - perf)) dotnet "$server" --Dvc:Database:Provider=postgres "--Dvc:Database:ConnectionString=$conn" \
  --Dvc:Access:LookupLimitedServices:0=none --Dvc:Identity:Development:Enabled=true \
  --Dvc:Identity:RateLimits:SignInPerAddress:Permits=100000 \
  --Dvc:GrpcUrl=http://127.0.0.1:$gport --Dvc:WebUrl=http://127.0.0.1:$(free_port) \
  --Dvc:Population:DemoCitizens=0 --Logging:LogLevel:Default=Warning \
  --Dvc:Identity:Bootstrap:Username=bench.admin "--Dvc:Identity:Bootstrap:Password=$admin_pw" \
  --Dvc:Identity:Bootstrap:TotpSecret=$admin_totp > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/$gport) 2>/dev/null && break; sleep 0.5; done
grpc_load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rm -f "$work/mark"
if [ "$perf" = 1 ]; then profile_level "$work/mark" "submit 16" "$DURATION" "$work/perf.data"; fi
dotnet "$driver" --mode dossiers --target "http://127.0.0.1:$gport" --citizens "$work/citizens.txt" \
  --admin-user bench.admin --admin-password "$admin_pw" --admin-totp-secret "$admin_totp" \
  --callers "$(echo $clients | tr ' ' ',')" --seconds "$DURATION" --warmup "$warmup" \
  --cpu-pids "server=$server_pid,postgres=$(head -1 "$data/postmaster.pid")" --mark "$work/mark" > "$work/grpc.txt" &
driver_pid=$!
wait "$driver_pid" || echo "run.sh: the driver failed (see above and $work/server.log)" >&2
cat "$work/grpc.txt"
if [ "$perf" = 1 ]; then
  profile_done "$work/mark" "submit 16"
  profile_section "$work/perf.data" "$server_pid" "$driver_pid" > "$work/profile.md"
fi
grpc_load_after=$(cut -d' ' -f1-3 /proc/loadavg)
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
dossiers=$(q "SELECT COUNT(*) FROM dossiers"); events=$(q "SELECT COUNT(*) FROM dossier_events")
codes_unique=$(q "SELECT COUNT(DISTINCT code) = COUNT(*) FROM dossiers")

# The same rows by pgbench. A submission: the unit's daily counter (one upsert), the dossier row with a
# details document of the size the server writes, its person, its first event; one transaction. A
# change: the conditional update on the version and the event, one transaction.
details=$(q "SELECT details FROM dossiers LIMIT 1" | sed "s/'/''/g")
q "CREATE TABLE bench_citizens AS SELECT row_number() OVER () AS n, id_number, full_name FROM citizens WHERE status = 1 LIMIT 10000; ALTER TABLE bench_citizens ADD PRIMARY KEY (n)" >/dev/null
cat > "$work/submit.sql" <<SQL
\set n random(1, 10000)
BEGIN;
INSERT INTO dossier_code_counters (unit_code, day, last_number) VALUES ('BENCH', 991231, 1)
  ON CONFLICT (unit_code, day) DO UPDATE SET last_number = dossier_code_counters.last_number + 1 RETURNING last_number;
WITH d AS (
  INSERT INTO dossiers (id, code, procedure_code, unit_id, unit_code, applicant_account_id, applicant_id_number, applicant_name, status, resume_status, version, submit_request_id, submitted_at, clock_started_at, due_at, clock_stops, overdue_at, updated_at, station_id, details, event_count, history_head)
  SELECT gen_random_uuid(), 'BENCH-' || gen_random_uuid(), 'BCA-L4-09', 1, 'BENCH', gen_random_uuid(), b.id_number, b.full_name, 'submitted', NULL, 1, gen_random_uuid()::text,
         (extract(epoch FROM clock_timestamp()) * 1000)::bigint, (extract(epoch FROM clock_timestamp()) * 1000)::bigint, NULL, '[]', NULL,
         (extract(epoch FROM clock_timestamp()) * 1000)::bigint, NULL, '$details', 1, repeat('a', 64)
  FROM bench_citizens b WHERE b.n = :n
  RETURNING id, applicant_id_number),
p AS (INSERT INTO dossier_people (dossier_id, id_number, role) SELECT id, applicant_id_number, 'applicant' FROM d)
INSERT INTO dossier_events (dossier_id, sequence, at, action, from_status, to_status, actor_id, actor_name, actor_role, unit_code, reason, documents, request_id, previous_hash, hash)
  SELECT d.id, 1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint, 'submit', NULL, 'submitted', gen_random_uuid(), 'Bench', 'citizen', NULL, NULL, '[]', gen_random_uuid()::text, repeat('0', 64), repeat('b', 64) FROM d;
COMMIT;
SQL
q "CREATE TABLE bench_dossiers AS SELECT row_number() OVER () AS n, id FROM dossiers; ALTER TABLE bench_dossiers ADD PRIMARY KEY (n)" >/dev/null
# A change reads the dossier, updates it on the version it read, appends the event (the event row goes
# to a fresh id: pgbench does not keep the chain, only the writes).
cat > "$work/change.sql" <<SQL
\set n random(1, $dossiers)
BEGIN;
SELECT * FROM dossiers WHERE id = (SELECT id FROM bench_dossiers WHERE n = :n);
UPDATE dossiers SET status = 'received', version = version + 1, updated_at = (extract(epoch FROM clock_timestamp()) * 1000)::bigint, event_count = event_count + 1
  WHERE id = (SELECT id FROM bench_dossiers WHERE n = :n) AND version = (SELECT d.version FROM dossiers d JOIN bench_dossiers b ON b.id = d.id WHERE b.n = :n);
INSERT INTO dossier_events (dossier_id, sequence, at, action, from_status, to_status, actor_id, actor_name, actor_role, unit_code, reason, documents, request_id, previous_hash, hash)
  VALUES (gen_random_uuid(), 1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint, 'receive', 'submitted', 'received', gen_random_uuid(), 'Bench', 'intake_officer', 'BENCH', NULL, '[]', gen_random_uuid()::text, repeat('0', 64), repeat('b', 64));
COMMIT;
SQL
declare -A sub_tps sub_p50 sub_p99 chg_tps chg_p50 chg_p99
pg_load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for c in $clients; do
  echo "run.sh: pgbench submission transaction, $c clients, $DURATION s"
  read -r "sub_tps[$c]" "sub_p50[$c]" "sub_p99[$c]" < <(pg_level submit.sql "$c")
  echo "   ${sub_tps[$c]} tps, p50 ${sub_p50[$c]} ms, p99 ${sub_p99[$c]} ms"
  echo "run.sh: pgbench change transaction, $c clients, $DURATION s"
  read -r "chg_tps[$c]" "chg_p50[$c]" "chg_p99[$c]" < <(pg_level change.sql "$c")
  echo "   ${chg_tps[$c]} tps, p50 ${chg_p50[$c]} ms, p99 ${chg_p99[$c]} ms"
done
pg_load_after=$(cut -d' ' -f1-3 /proc/loadavg)

declare -A g_tps g_p50 g_p99 g_fail g_cpu c_tps c_p50 c_p99 c_fail c_cpu
table=""
while read -r first rest; do
  case "$first" in
    "#") table=$(echo "$rest" | awk '{print $1}'); continue ;;
    callers) continue ;;
  esac
  IFS=$'\t' read -r calls cps p50 p99 failures s_cpu p_cpu d_cpu <<<"$rest"
  if [ "$table" = SubmitDossier ]; then g_tps[$first]=$cps; g_p50[$first]=$p50; g_p99[$first]=$p99; g_fail[$first]=$failures
    g_cpu[$first]="$s_cpu + $p_cpu + $d_cpu"
  else c_tps[$first]=$cps; c_p50[$first]=$p50; c_p99[$first]=$p99; c_fail[$first]=$failures; c_cpu[$first]="$s_cpu + $p_cpu + $d_cpu"; fi
done < "$work/grpc.txt"

mkdir -p "$reports"
stamp=$(date -u +%Y-%m-%dT%H%MZ)
report="$reports/dossiers-$stamp.md"
{
  echo "# Dossier benchmark"
  echo
  echo "Run $stamp at commit $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- server || echo ' (with uncommitted server changes)') by \`tests/GrpcDvc.Benchmarks/dossiers/run.sh\` (COUNT=$count DURATION=$DURATION WARMUP=$warmup PERF=$perf)."
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')); $("$pgbin/postgres" --version); PostgreSQL settings \`$settings\`."
  echo "Load average around the gRPC runs: $grpc_load_before → $grpc_load_after; around pgbench: $pg_load_before → $pg_load_after."
  echo
  echo "gRPC: SubmitDossier of BCA-L4-09 (CT01 e-form, declaration checked against the registry with its"
  echo "access-log entry, routing, code, due date, first event), each caller its own signed-in citizen; the"
  echo "cycle: receive, start processing, approve, issue result, return result by one official (five calls per"
  echo "dossier, each timed). pgbench: the same rows, -M prepared. After the run: $dossiers dossiers, $events events,"
  echo "codes unique: $codes_unique."
  echo
  echo "| callers | SubmitDossier calls/s | p50 ms | p99 ms | failures | CPU ms per call: server + PostgreSQL + driver | pgbench submission tx/s | p50 ms | p99 ms | gRPC / pgbench |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for c in $clients; do
    ratio=$( [ -n "${g_tps[$c]:-}" ] && echo "scale=2; ${g_tps[$c]} / ${sub_tps[$c]}" | bc || echo "")
    echo "| $c | ${g_tps[$c]:-} | ${g_p50[$c]:-} | ${g_p99[$c]:-} | ${g_fail[$c]:-} | ${g_cpu[$c]:-} | ${sub_tps[$c]} | ${sub_p50[$c]} | ${sub_p99[$c]} | $ratio |"
  done
  echo
  echo "| callers | cycle calls/s | p50 ms | p99 ms | failures | CPU ms per call: server + PostgreSQL + driver | pgbench change tx/s | p50 ms | p99 ms | gRPC / pgbench |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for c in $clients; do
    ratio=$( [ -n "${c_tps[$c]:-}" ] && echo "scale=2; ${c_tps[$c]} / ${chg_tps[$c]}" | bc || echo "")
    echo "| $c | ${c_tps[$c]:-} | ${c_p50[$c]:-} | ${c_p99[$c]:-} | ${c_fail[$c]:-} | ${c_cpu[$c]:-} | ${chg_tps[$c]} | ${chg_p50[$c]} | ${chg_p99[$c]} | $ratio |"
  done
  echo
  echo "Targets (issue 11): >= 1,000 submissions/s with p99 <= 50 ms."
  if [ "$perf" = 1 ]; then
    echo
    echo "## Profile of the 16-caller SubmitDossier level"
    echo
    cat "$work/profile.md"
  fi
} > "$report"
cat "$report"
echo "run.sh: report written to ${report#$repo/}"
