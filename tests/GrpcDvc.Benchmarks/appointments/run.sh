#!/usr/bin/env bash
# Booking storm benchmark (issue 12): on a throwaway PostgreSQL cluster, BookAppointment over gRPC from
# CALLERS concurrent callers (each a citizen signed in through the development VNeID stand-in), ATTEMPTS
# attempts per scenario: (a) one session of capacity CAPACITY_A, (b) SESSIONS_B sessions of capacity
# CAPACITY_B. A caller told "full" moves to a session the refusal offers; told "busy" (the admission
# gate) it retries after the hint. Then pgbench drives the raw booking transaction (the conditional
# update and the appointment insert) on the same database in the same run, on one hot session and
# spread over SESSIONS_B sessions, and the one statement a booking sends at the admission gate's width.
# The floor comes last on the server: as many health checks (no database, no sign-in) from as many
# callers, the latency no booking can beat on that machine. Checks after each scenario that confirmed =
# capacity = booked = active rows. Writes a Markdown report under tests/GrpcDvc.Benchmarks/reports/.
# Not a test: it prints figures, it does not pass or fail on them.
#
#   tests/GrpcDvc.Benchmarks/appointments/run.sh                  # the issue's size (20,000 attempts, 200 callers)
#   ATTEMPTS=2000 CALLERS=50 CAPACITY_A=100 SESSIONS_B=100 COUNT=20000 DURATION=5 \
#     tests/GrpcDvc.Benchmarks/appointments/run.sh                # a quick check on a shared machine
#
# A warm-up storm comes first (WARMUP_ATTEMPTS, default 40,000, on 300 sessions of 10 at a station of
# its own; 0 leaves it out): a booking storm meets a server that has been running, not one still
# compiling its code, and without it scenario (a) measured the JIT as much as the bookings. It is not
# reported. Each scenario also gives its CPU per answer: the server's, PostgreSQL's (the postmaster with
# its backends) and the driver's, read from /proc before and after the storm. PERF=1 records a
# whole-machine perf profile of the first PERF_SECONDS (default 8) of scenario (b)'s storm (after the
# sign-ins) and adds the samples per process and the top symbols to the report (see population/profile.sh).
# SERVER_ARGS adds settings to the server's command line (e.g. --Dvc:Appointments:Booking:MaxInFlight=16),
# named in the report. STATEMENTS=1 loads pg_stat_statements and adds scenario (b)'s costliest statements (execution time, the
# sign-ins included) to the report: where PostgreSQL's share of an answer goes.
#
# Targets (issue 12): zero overbooking; >= 0.5 of the pgbench rate; p99 <= 100 ms.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
count=${COUNT:-50000}
attempts=${ATTEMPTS:-20000}
callers=${CALLERS:-200}
capacity_a=${CAPACITY_A:-500}
sessions_b=${SESSIONS_B:-1000}
capacity_b=${CAPACITY_B:-10}
export DURATION=${DURATION:-20}
warmup_attempts=${WARMUP_ATTEMPTS:-40000}
perf=${PERF:-0}
perf_seconds=${PERF_SECONDS:-8}
statements=${STATEMENTS:-0}
server_args=${SERVER_ARGS:-}
reports="$repo/tests/GrpcDvc.Benchmarks/reports"
source "$here/../lib/postgres.sh"
# shellcheck source=../population/profile.sh
source "$here/../population/profile.sh"
if [ "$perf" = 1 ]; then
  command -v perf >/dev/null || { echo "run.sh: PERF=1 needs perf (apt-get install linux-perf)" >&2; exit 1; }
fi

# Scenario (b) confirms up to sessions_b * capacity_b places; each citizen books up to 6 level-3 procedures.
places=$(( capacity_a > sessions_b * capacity_b ? capacity_a : sessions_b * capacity_b ))
citizens=$(( (places + callers) / 6 + callers + 10 ))

echo "run.sh: building the server and the load driver (Release)"
dotnet build "$repo/server/GrpcDvc.Server/GrpcDvc.Server.csproj" -c Release --nologo -v quiet >/dev/null
dotnet build "$repo/tests/GrpcDvc.LookupLoad/GrpcDvc.LookupLoad.csproj" -c Release --nologo -v quiet >/dev/null
server="$repo/server/GrpcDvc.Server/bin/Release/net10.0/GrpcDvc.Server.dll"
driver="$repo/tests/GrpcDvc.LookupLoad/bin/Release/net10.0/GrpcDvc.LookupLoad.dll"

settings="-c shared_buffers=512MB -c max_wal_size=4GB -c max_connections=400"
if [ "$statements" = 1 ]; then settings="$settings -c shared_preload_libraries=pg_stat_statements"; fi
syscall=$(syscall_us)
pg_start "$settings"
if [ "$statements" = 1 ]; then q "CREATE EXTENSION pg_stat_statements" >/dev/null; fi
echo "run.sh: PostgreSQL on port $port; population generate --count $count"
dotnet "$server" population generate --count "$count" --seed 42 \
  --Dvc:Database:Provider=postgres "--Dvc:Database:ConnectionString=$conn" >"$work/generate.txt"
"$psql" -h 127.0.0.1 -p "$port" -U postgres -d dvc -At -F $'\t' -c "
  SELECT c.id_number, c.full_name,
         lpad(c.birth_year::text, 4, '0') || '-' || lpad(c.birth_month::text, 2, '0') || '-' || lpad(c.birth_day::text, 2, '0'),
         CASE c.gender WHEN 2 THEN 'female' ELSE 'male' END, u.code
  FROM citizens c JOIN administrative_units u ON u.id = c.permanent_unit_id
  WHERE c.birth_month IS NOT NULL AND c.birth_day IS NOT NULL AND c.status = 1 AND c.birth_year <= 2006
  ORDER BY c.id LIMIT $citizens" > "$work/citizens.txt"
[ "$(wc -l < "$work/citizens.txt")" -ge "$citizens" ] || { echo "run.sh: COUNT=$count gives fewer than $citizens adult citizens" >&2; exit 1; }

# A station per scenario, each of its own unit (so a full session offers only its own scenario's
# sessions), taking the six level-3 procedures; sessions open since an hour, starting from tomorrow.
now_ms=$(( $(date +%s) * 1000 ))
seed_station() { # id unit_offset
  q "INSERT INTO stations (id, name, kind, unit_id, unit_code, commune_unit_id, commune_code, address, booking_window_days, release_minute, accepting, version, create_request_id, created_at, updated_at)
     SELECT '$1', 'Trạm $1', 'fixed', id, code, id, code, 'Bench', 3650, 0, true, 1, 'bench', $now_ms, $now_ms FROM administrative_units ORDER BY id OFFSET $2 LIMIT 1;
     INSERT INTO station_procedures (station_id, procedure_code) SELECT '$1', code FROM procedures WHERE service_level = 3 AND field = 'identity';" >/dev/null
}
seed_sessions() { # station count capacity → sessions file
  q "INSERT INTO station_sessions (station_id, date, part, starts_at, ends_at, opens_at, capacity, booked, closed)
     SELECT '$1', current_date + 1 + (n / 2), 1 + (n % 2),
            $now_ms + 86400000::bigint * (1 + n / 2) + (n % 2) * 21600000, $now_ms + 86400000::bigint * (1 + n / 2) + (n % 2) * 21600000 + 14400000,
            $now_ms - 3600000, $3, 0, false
     FROM generate_series(0, $2 - 1) AS n" >/dev/null
  "$psql" -h 127.0.0.1 -p "$port" -U postgres -d dvc -At -F $'\t' -c "SELECT station_id, to_char(date, 'YYYY-MM-DD'), part FROM station_sessions WHERE station_id = '$1'"
}
check() { # station → "booked active"
  echo "$(q "SELECT COALESCE(SUM(booked), 0) FROM station_sessions WHERE station_id = '$1'") $(q "SELECT COUNT(*) FROM appointments WHERE station_id = '$1' AND active_procedure IS NOT NULL")"
}

gport=$(free_port)
echo "run.sh: starting the server (gRPC port $gport, development sign-in stand-ins on)"
DOTNET_PerfMapEnabled=$perf DOTNET_EnableWriteXorExecute=$((1 - perf)) dotnet "$server" --Dvc:Database:Provider=postgres "--Dvc:Database:ConnectionString=$conn" \
  --Dvc:Identity:Development:Enabled=true --Dvc:Identity:Development:DemoOfficials=false \
  --Dvc:Identity:RateLimits:SignInPerAddress:Permits=1000000 \
  --Dvc:GrpcUrl=http://127.0.0.1:$gport --Dvc:WebUrl=http://127.0.0.1:$(free_port) \
  --Dvc:Population:DemoCitizens=0 --Logging:LogLevel:Default=Warning $server_args > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/$gport) 2>/dev/null && break; sleep 0.5; done

declare -A line booked active expect
run_scenario() { # name station sessions capacity unit_offset [attempts]
  seed_station "$2" "$5"
  seed_sessions "$2" "$3" "$4" > "$work/sessions-$1.txt"
  expect[$1]=$(( $3 * $4 ))
  echo "run.sh: scenario $1: ${6:-$attempts} attempts, $callers callers, $3 session(s) of capacity $4"
  local before after
  before=$(cut -d' ' -f1-3 /proc/loadavg)
  rm -f "$work/mark"
  local profiled=0
  if [ "$perf" = 1 ] && [ "$1" = b ]; then profiled=1; profile_level "$work/mark" storm "$perf_seconds" "$work/perf.data"; fi
  if [ "$statements" = 1 ] && [ "$1" = b ]; then q "SELECT pg_stat_statements_reset()" >/dev/null; fi
  dotnet "$driver" --mode booking --target "http://127.0.0.1:$gport" --citizens "$work/citizens.txt" \
    --sessions "$work/sessions-$1.txt" --attempts "${6:-$attempts}" --callers "$callers" \
    --cpu-pids "server=$server_pid,postgres=$(head -1 "$data/postmaster.pid")" --mark "$work/mark" > "$work/grpc-$1.txt" &
  local driver_pid=$!
  wait "$driver_pid" || echo "run.sh: the driver failed (see above and $work/server.log)" >&2
  cat "$work/grpc-$1.txt"
  if [ "$profiled" = 1 ]; then
    profile_done "$work/mark" storm
    profile_section "$work/perf.data" "$server_pid" "$driver_pid" > "$work/profile.md"
  fi
  after=$(cut -d' ' -f1-3 /proc/loadavg)
  line[$1]="$(tail -1 "$work/grpc-$1.txt")"
  if [ "$statements" = 1 ] && [ "$1" = b ]; then
    q "SELECT '| ' || calls || ' | ' || round(total_exec_time::numeric, 0) || ' | ' || round(mean_exec_time::numeric, 3) || ' | ' || rows || ' | \`'
              || left(replace(regexp_replace(query, '\s+', ' ', 'g'), '|', '\|'), 150) || '\` |'
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = 'dvc')
       ORDER BY total_exec_time DESC LIMIT 12" > "$work/statements.md"
  fi
  read -r "booked[$1]" "active[$1]" < <(check "$2")
  echo "   booked ${booked[$1]}, active rows ${active[$1]}, capacity ${expect[$1]}; load $before → $after"
  # Free the citizens' procedures for the next scenario (one active appointment per citizen and procedure).
  q "UPDATE appointments SET status = 'cancelled', active_procedure = NULL WHERE station_id = '$2'" >/dev/null
}
if [ "$warmup_attempts" -gt 0 ]; then
  run_scenario w BENCH-W 300 10 3 "$warmup_attempts"
fi
run_scenario a BENCH-A 1 "$capacity_a" 0
run_scenario b BENCH-B "$sessions_b" "$capacity_b" 1
# The floor: as many calls from as many callers on the same server, each a health check (no database, no
# sign-in). No booking can answer faster than a call that does nothing, at that concurrency, on this machine.
echo "run.sh: the floor: $attempts health checks from $callers callers (after as many unrecorded)"
dotnet "$driver" --mode floor --target "http://127.0.0.1:$gport" --attempts "$attempts" --callers "$callers" \
  --cpu-pids "server=$server_pid,postgres=$(head -1 "$data/postmaster.pid")" > "$work/floor.txt"
cat "$work/floor.txt"
floor_line="$(tail -1 "$work/floor.txt")"
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true

# The raw booking transaction by pgbench: the conditional update and the appointment insert, one
# transaction, on one hot session (capacity never reached) and spread over the (b) sessions reset.
seed_station BENCH-P 2
seed_sessions BENCH-P 1 2000000000 >/dev/null
hot=$(q "SELECT id FROM station_sessions WHERE station_id = 'BENCH-P'")
q "UPDATE station_sessions SET booked = 0, capacity = 2000000000 WHERE station_id = 'BENCH-B'" >/dev/null
lo=$(q "SELECT MIN(id) FROM station_sessions WHERE station_id = 'BENCH-B'"); hi=$(q "SELECT MAX(id) FROM station_sessions WHERE station_id = 'BENCH-B'")
booking_sql() { # session expression
  cat <<SQL
$1
BEGIN;
UPDATE station_sessions SET booked = booked + 1
  WHERE id = :s AND booked < capacity AND NOT closed AND opens_at <= (extract(epoch FROM clock_timestamp()) * 1000)::bigint AND starts_at > (extract(epoch FROM clock_timestamp()) * 1000)::bigint;
INSERT INTO appointments (id, account_id, id_number, full_name, procedure_code, station_id, session_id, status, active_procedure, request_id, hold_expires_at, booked_at, version)
  VALUES (gen_random_uuid(), gen_random_uuid(), '001090000001', 'Bench', 'BCA-L3-01', 'BENCH-P', :s, 'held', 'BCA-L3-01', gen_random_uuid()::text,
          (extract(epoch FROM clock_timestamp()) * 1000)::bigint + 600000, (extract(epoch FROM clock_timestamp()) * 1000)::bigint, 1);
COMMIT;
SQL
}
# The statement a booking alone on its session sends (SessionPlaces.HoldAloneAsync): update and insert in one
# statement committing by itself, at the admission gate's width (32 per instance): PostgreSQL's own rate of
# taking places one at a time, with the machine to itself.
one_statement_sql() {
  cat <<SQL
\\set s random($lo, $hi)
WITH taken AS (
  UPDATE station_sessions SET booked = booked + 1
   WHERE id = :s AND booked < capacity AND NOT closed AND opens_at <= (extract(epoch FROM clock_timestamp()) * 1000)::bigint AND starts_at > (extract(epoch FROM clock_timestamp()) * 1000)::bigint
  RETURNING id)
INSERT INTO appointments (id, account_id, id_number, full_name, procedure_code, station_id, session_id, status, active_procedure, request_id, hold_expires_at, booked_at, version)
SELECT gen_random_uuid(), gen_random_uuid(), '001090000001', 'Bench', 'BCA-L3-01', 'BENCH-P', taken.id, 'held', 'BCA-L3-01', gen_random_uuid()::text,
       (extract(epoch FROM clock_timestamp()) * 1000)::bigint + 600000, (extract(epoch FROM clock_timestamp()) * 1000)::bigint, 1
  FROM taken;
SQL
}
booking_sql "\\set s $hot" > "$work/hot.sql"
booking_sql "\\set s random($lo, $hi)" > "$work/spread.sql"
echo "run.sh: pgbench booking transaction, one hot session, $callers clients, $DURATION s"
read -r hot_tps hot_p50 hot_p99 < <(pg_level hot.sql "$callers")
echo "   $hot_tps tps, p50 $hot_p50 ms, p99 $hot_p99 ms"
echo "run.sh: pgbench booking transaction, $sessions_b sessions, $callers clients, $DURATION s"
read -r spread_tps spread_p50 spread_p99 < <(pg_level spread.sql "$callers")
echo "   $spread_tps tps, p50 $spread_p50 ms, p99 $spread_p99 ms"
one_statement_sql > "$work/one.sql"
echo "run.sh: pgbench one-statement hold, $sessions_b sessions, 32 clients, $DURATION s"
read -r one_tps one_p50 one_p99 < <(pg_level one.sql 32)
echo "   $one_tps tps, p50 $one_p50 ms, p99 $one_p99 ms"

mkdir -p "$reports"
stamp=$(date -u +%Y-%m-%dT%H%MZ)
report="$reports/appointments-$stamp.md"
{
  echo "# Booking storm benchmark"
  echo
  echo "Run $stamp at commit $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD -- server || echo ' (with uncommitted server changes)') by \`tests/GrpcDvc.Benchmarks/appointments/run.sh\` (ATTEMPTS=$attempts CALLERS=$callers CAPACITY_A=$capacity_a SESSIONS_B=$sessions_b CAPACITY_B=$capacity_b COUNT=$count DURATION=$DURATION WARMUP_ATTEMPTS=$warmup_attempts PERF=$perf STATEMENTS=$statements)$([ -z "$server_args" ] || echo ", server settings \`$server_args\`")."
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')); $("$pgbin/postgres" --version); PostgreSQL settings \`$settings\`; load average at the end $(cut -d' ' -f1-3 /proc/loadavg); a system call cost $syscall µs before the run (\`syscall_us\`: compare runs only where it is alike)."
  echo
  echo "gRPC: BookAppointment, every answer timed (a place, or a refusal: RESOURCE_EXHAUSTED full with the next open"
  echo "sessions, UNAVAILABLE busy from the admission gate). Answers/s counts every answer. pgbench: the booking"
  echo "transaction itself (conditional update + appointment insert), -M prepared, $callers clients; then the one"
  echo "statement a booking alone on its session sends, at the admission gate's width. The floor: as many calls from"
  echo "as many callers to the same server, each grpc.health.v1 Check (no database, no sign-in)."
  echo
  echo "| scenario | attempts | confirmed | capacity | booked | active rows | answers/s | p50 ms | p99 ms | refusals | CPU ms per answer: server + PostgreSQL + driver |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for s in a b; do
    IFS=$'\t' read -r _ att conf aps p50 p99 secs refusals s_cpu p_cpu d_cpu <<<"${line[$s]}"
    echo "| ($s) | $att | $conf | ${expect[$s]} | ${booked[$s]} | ${active[$s]} | $aps | $p50 | $p99 | $refusals | $s_cpu + $p_cpu + $d_cpu |"
  done
  IFS=$'\t' read -r _ calls cps p50 p99 failures s_cpu p_cpu d_cpu <<<"$floor_line"
  echo "| floor: health checks | $calls | — | — | — | — | $cps | $p50 | $p99 | failures: $failures | $s_cpu + $p_cpu + $d_cpu |"
  echo
  echo "| pgbench booking transaction | tx/s | p50 ms | p99 ms |"
  echo "|---|---|---|---|"
  echo "| one hot session | $hot_tps | $hot_p50 | $hot_p99 |"
  echo "| $sessions_b sessions | $spread_tps | $spread_p50 | $spread_p99 |"
  echo "| $sessions_b sessions, a booking's one statement, 32 clients | $one_tps | $one_p50 | $one_p99 |"
  echo
  echo "Targets (issue 12): zero overbooking (confirmed = capacity = booked = active rows); >= 0.5 of the pgbench rate; p99 <= 100 ms."
  echo
  echo "Where the slow answers are (the driver's breakdown: places and refusals, each second of the storm, and all but its first second):"
  echo
  for s in a b; do grep '^# ' "$work/grpc-$s.txt" | sed "s/^# /- ($s) /" || true; done
  if [ "$statements" = 1 ]; then
    echo
    echo "## Scenario (b)'s costliest statements (pg_stat_statements, execution time, sign-ins included)"
    echo
    echo "| calls | total ms | mean ms | rows | statement |"
    echo "|---|---|---|---|---|"
    cat "$work/statements.md"
  fi
  if [ "$perf" = 1 ]; then
    echo
    echo "## Profile of scenario (b), the storm's first $perf_seconds s"
    echo
    cat "$work/profile.md"
  fi
} > "$report"
cat "$report"
echo "run.sh: report written to ${report#$repo/}"
