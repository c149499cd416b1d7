# Sourced by run.sh (either provider): LookupCitizen and SearchCitizens over gRPC on the loaded database.
# The real server; a processing officer with national scope (created by the bootstrap administrator
# through IdentityService, signed in with password + TOTP) calls with a stated purpose, so every call
# includes its access-log write. The driver (tests/GrpcDvc.LookupLoad) prints per level "callers calls
# calls_per_s p50_ms p99_ms failures" and, with --cpu-pids, each process's CPU ms per call.
# Uses: repo work server duration clients search_clients perf; ids.txt and names.txt in $work.
# Fills lvl["lookup|search:CALLERS:COLUMN"] (COLUMN as in the driver's header: calls_per_s, p99_ms,
# server_cpu_ms, postgres_cpu_ms, driver_cpu_ms …), search_load_before/after, and with PERF=1 the
# profile section in $work/profile.md.
declare -A lvl
search_load_before=""; search_load_after=""

# grpc_population_load POSTMASTER_PID SERVER_ARGS…   (POSTMASTER_PID empty on SQLite)
grpc_population_load() {
  local db_pid=$1; shift
  local gport admin_pw="Bench-admin-2026!" admin_totp="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" driver server_pid token cpu_pids driver_pid
  driver="$repo/tests/GrpcDvc.LookupLoad/bin/Release/net10.0/GrpcDvc.LookupLoad.dll"
  gport=$(free_port)
  echo "run.sh: building the lookup driver (Release)"
  dotnet build "$repo/tests/GrpcDvc.LookupLoad/GrpcDvc.LookupLoad.csproj" -c Release --nologo -v quiet >/dev/null
  echo "run.sh: starting the server on the loaded database (gRPC port $gport)"
  # One officer calls from one address far beyond the production lookup limits (60/min per
  # account, 120/min per address): no service is lookup-limited here, or the gate would answer
  # RESOURCE_EXHAUSTED (the limiter's own cost is then left out of the figures). The access token
  # lives for the whole run, so the officer signs in once (a TOTP code works only once per 30 s).
  local wxe=1
  [ "$perf" = 1 ] && wxe=0 # W^X's double mapping hides JIT code from the perf map (profile.sh)
  DOTNET_PerfMapEnabled=$perf DOTNET_EnableWriteXorExecute=$wxe dotnet "$server" "$@" \
    --Dvc:Access:LookupLimitedServices:0=none --Dvc:Identity:AccessTokenLifetime=12:00:00 \
    --Dvc:GrpcUrl=http://127.0.0.1:$gport --Dvc:WebUrl=http://127.0.0.1:$(free_port) \
    --Dvc:Population:DemoCitizens=0 --Logging:LogLevel:Default=Warning \
    --Dvc:Identity:Bootstrap:Username=bench.admin "--Dvc:Identity:Bootstrap:Password=$admin_pw" \
    --Dvc:Identity:Bootstrap:TotpSecret=$admin_totp > "$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    (exec 3<>/dev/tcp/127.0.0.1/$gport) 2>/dev/null && break
    sleep 0.5
  done
  token=$(dotnet "$driver" --mode token --target "http://127.0.0.1:$gport" --admin-user bench.admin \
    --admin-password "$admin_pw" --admin-totp-secret "$admin_totp") \
    || { echo "run.sh: the officer's sign-in failed (see $work/server.log)" >&2; kill "$server_pid"; return 1; }
  cpu_pids="server=$server_pid${db_pid:+,postgres=$db_pid}"
  local common=(--target "http://127.0.0.1:$gport" --token "$token" --seconds "$duration" --warmup "$warmup" --cpu-pids "$cpu_pids")

  echo "run.sh: LookupCitizen over gRPC, callers $clients"
  rm -f "$work/mark"
  if [ "$perf" = 1 ]; then
    echo " $clients " | grep -q ' 16 ' || echo "run.sh: PERF=1 profiles the 16-caller level, which CLIENTS leaves out" >&2
    profile_level "$work/mark" 16 "$duration" "$work/perf.data"
  fi
  dotnet "$driver" "${common[@]}" --ids "$work/ids.txt" --callers "$(echo $clients | tr ' ' ',')" \
    --mark "$work/mark" > "$work/grpc-lookup.txt" &
  driver_pid=$!
  wait "$driver_pid" || echo "run.sh: the gRPC lookup driver failed (see above and $work/server.log)" >&2
  cat "$work/grpc-lookup.txt"
  if [ "$perf" = 1 ]; then
    profile_done "$work/mark" 16
    profile_section "$work/perf.data" "$server_pid" "$driver_pid" > "$work/profile.md"
  fi

  # SearchCitizens: the full name (as written, diacritics and all) and birth year of sampled
  # citizens, the first page (default size, 50) with its total, as an official looking a person up does.
  echo "run.sh: SearchCitizens over gRPC, callers $search_clients"
  search_load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  dotnet "$driver" "${common[@]}" --mode search --names "$work/names.txt" \
    --callers "$(echo $search_clients | tr ' ' ',')" \
    | tee "$work/grpc-search.txt" || echo "run.sh: the gRPC search driver failed (see above and $work/server.log)" >&2
  search_load_after=$(cut -d' ' -f1-3 /proc/loadavg)
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -f "/tmp/perf-$server_pid.map"
  parse_levels lookup "$work/grpc-lookup.txt"
  parse_levels search "$work/grpc-search.txt"
}

# parse_levels KIND FILE: the driver's table into lvl, column names from its header.
parse_levels() {
  local kind=$1 file=$2 i
  local -a cols vals
  [ -s "$file" ] || return 0
  IFS=$'\t' read -r -a cols < "$file"
  while IFS=$'\t' read -r -a vals; do
    [ "${vals[0]}" = callers ] && continue
    for i in "${!cols[@]}"; do lvl[$kind:${vals[0]}:${cols[$i]}]=${vals[$i]:-}; done
    [ "${vals[5]:-}" = none ] || echo "run.sh: gRPC $kind at ${vals[0]} callers had failures: ${vals[5]:-}" >&2
  done < "$file"
}

# cpu_table KIND "LEVELS" WITH_POSTGRES: Markdown rows of one rpc's levels with the CPU per call.
cpu_table() {
  local kind=$1 levels=$2 with_pg=$3 c cps srv pg drv sum
  if [ "$with_pg" = 1 ]; then
    echo "| callers | calls/s | p50 ms | p99 ms | server CPU ms/call | PostgreSQL CPU ms/call | driver CPU ms/call | sum ms/call | cores busy (sum × calls/s) |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  else
    echo "| callers | calls/s | p50 ms | p99 ms | server CPU ms/call | driver CPU ms/call | sum ms/call | cores busy (sum × calls/s) |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
  fi
  for c in $levels; do
    cps=${lvl[$kind:$c:calls_per_s]:-}
    if [ -z "$cps" ]; then
      echo "| $c | not measured |"
      continue
    fi
    srv=${lvl[$kind:$c:server_cpu_ms]}; pg=${lvl[$kind:$c:postgres_cpu_ms]:-0}; drv=${lvl[$kind:$c:driver_cpu_ms]}
    sum=$(echo "$srv + $pg + $drv" | bc -l)
    printf '| %s | %s | %s | %s | %s |' "$c" "$cps" "${lvl[$kind:$c:p50_ms]}" "${lvl[$kind:$c:p99_ms]}" "$srv"
    [ "$with_pg" = 1 ] && printf ' %s |' "$pg"
    printf ' %s | %.3f | %.2f |\n' "$drv" "$sum" "$(echo "$sum * $cps / 1000" | bc -l)"
  done
}
