#!/usr/bin/env bash
# History-verification benchmark (issue 11): on a throwaway PostgreSQL cluster, the server migrates a
# fresh database; one dossier gets a history of EVENTS hash-chained events, linked by the server's own
# HistoryChain and bulk-loaded with binary COPY (tests/GrpcDvc.HistoryBench load); then a national
# auditor (created by the bootstrap administrator, signed in with password + TOTP) calls
# VerifyDossierHistory over gRPC RUNS times. It prints the time of each verification and the server's
# resident memory before and after (the events are read and checked in batches, so memory stays
# bounded), and writes a Markdown report under tests/GrpcDvc.Benchmarks/reports/.
# Not a test: it prints figures, it does not pass or fail on them (the target is <= 10 s for 1,000,000).
#
#   tests/GrpcDvc.Benchmarks/dossiers/verify.sh             # 1,000,000 events, 3 runs
#   EVENTS=100000 RUNS=5 tests/GrpcDvc.Benchmarks/dossiers/verify.sh
#
# The cluster is started as tests/GrpcDvc.Benchmarks/population/run.sh does (Debian's initdb/pg_ctl, as
# the 'postgres' OS user when run as root, a free port, a temp folder deleted at the end), with
# PostgreSQL's durability defaults.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
events=${EVENTS:-1000000}
runs=${RUNS:-3}
batch=${BATCH:-10000}
reports="$repo/tests/GrpcDvc.Benchmarks/reports"

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pgbin/initdb" ] || { echo "verify.sh: no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 1; }
psql=$( [ -x "$pgbin/psql" ] && echo "$pgbin/psql" || command -v psql )
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

work=$(mktemp -d /tmp/grpcdvc-verifybench-XXXXXX)
chmod 755 "$work"
[ "$(id -u)" -eq 0 ] && chown postgres: "$work"
data="$work/data"
server_pid=""
cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then echo "verify.sh: kept: $psql -h 127.0.0.1 -p $port -U postgres dvc (server pid $server_pid)"; return; fi
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  as_pg "$pgbin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "verify.sh: building the server and the driver (Release)"
dotnet build "$repo/tests/GrpcDvc.HistoryBench/GrpcDvc.HistoryBench.csproj" -c Release --nologo -v quiet >/dev/null
server="$repo/server/GrpcDvc.Server/bin/Release/net10.0/GrpcDvc.Server.dll"
driver="$repo/tests/GrpcDvc.HistoryBench/bin/Release/net10.0/GrpcDvc.HistoryBench.dll"

echo "verify.sh: starting a throwaway PostgreSQL cluster in $work"
as_pg "$pgbin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
port=$(free_port)
settings="-c shared_buffers=512MB -c max_wal_size=8GB -c checkpoint_timeout=30min"
as_pg "$pgbin/pg_ctl" -D "$data" -l "$work/postgres.log" -w -t 60 \
  -o "-p $port -k $work -c listen_addresses=127.0.0.1 $settings" start >/dev/null
"$psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE dvc"
conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=dvc"

admin_pw="Bench-admin-2026!"; admin_totp="JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
gport=$(free_port)
echo "verify.sh: starting the server (gRPC port $gport; it migrates the database and seeds the units)"
dotnet "$server" --Dvc:Database:Provider=postgres "--Dvc:Database:ConnectionString=$conn" \
  --Dvc:GrpcUrl=http://127.0.0.1:$gport --Dvc:WebUrl=http://127.0.0.1:$(free_port) \
  --Dvc:Population:DemoCitizens=0 --Logging:LogLevel:Default=Warning \
  --Dvc:Dossiers:Tracking:VerifyBatchSize=$batch \
  --Dvc:Identity:Bootstrap:Username=bench.admin "--Dvc:Identity:Bootstrap:Password=$admin_pw" \
  --Dvc:Identity:Bootstrap:TotpSecret=$admin_totp > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
  (exec 3<>/dev/tcp/127.0.0.1/$gport) 2>/dev/null && break
  sleep 0.5
done

echo "verify.sh: loading one dossier with $(printf "%'d" "$events") events (HistoryChain.Link + binary COPY)"
load=$(dotnet "$driver" load --conn "$conn" --events "$events" | tee /dev/stderr | grep '^loaded')
code=$(echo "$load" | cut -f2)
load_seconds=$(echo "$load" | cut -f4)
table_size=$("$psql" -h 127.0.0.1 -p "$port" -U postgres -d dvc -At -c "SELECT pg_size_pretty(pg_total_relation_size('dossier_events'))")

rss() { awk -v k="$1:" '$1 == k {print $2}' "/proc/$server_pid/status"; }
rss_before=$(rss VmRSS); hwm_before=$(rss VmHWM)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "verify.sh: VerifyDossierHistory of $code, $runs runs (server RSS before: $((rss_before / 1024)) MiB)"
dotnet "$driver" verify --target "http://127.0.0.1:$gport" --code "$code" --runs "$runs" \
  --admin-user bench.admin --admin-password "$admin_pw" --admin-totp-secret "$admin_totp" | tee "$work/verify.txt"
rss_after=$(rss VmRSS); hwm_after=$(rss VmHWM)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
echo "verify.sh: server RSS after: $((rss_after / 1024)) MiB, peak $((hwm_after / 1024)) MiB (peak before: $((hwm_before / 1024)) MiB)"

mkdir -p "$reports"
stamp=$(date -u +%Y-%m-%dT%H%MZ)
report="$reports/verify-history-$events-$stamp.md"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
mem=$(free -g | awk '/Mem:/ {print $2 " GiB"}')
{
  echo "# History verification: $(printf "%'d" "$events") events"
  echo
  echo "Run $stamp by \`tests/GrpcDvc.Benchmarks/dossiers/verify.sh\` (EVENTS=$events RUNS=$runs BATCH=$batch)."
  echo "Machine: $(nproc) cores ($cpu), $mem; $("$pgbin/postgres" --version); $(dotnet --version | sed 's/^/.NET SDK /')."
  echo "The cores are shared with whatever else runs at the time (load average before the runs: $load_before; after: $load_after)."
  echo
  echo "One dossier, $(printf "%'d" "$events") events linked by the server's \`HistoryChain.Link\` and loaded with binary COPY"
  echo "in $load_seconds s; \`dossier_events\` then takes $table_size. A national auditor calls \`VerifyDossierHistory\`"
  echo "over gRPC (h2c, loopback); the server reads the events in batches of $batch by primary key (keyset on"
  echo "sequence, in one REPEATABLE READ snapshot), recomputes each SHA-256 and checks the chain and the dossier's anchor."
  echo
  echo "| run | seconds | intact | events checked |"
  echo "|---|---|---|---|"
  while IFS=$'\t' read -r _ n seconds intact checked _; do
    echo "| $n | $seconds | $intact | $checked |"
  done < "$work/verify.txt"
  echo
  echo "Target: ≤ 10 s for 1,000,000 events."
  echo
  echo "Server memory (VmRSS): $((rss_before / 1024)) MiB before the runs, $((rss_after / 1024)) MiB after; peak (VmHWM)"
  echo "$((hwm_before / 1024)) MiB before, $((hwm_after / 1024)) MiB after."
} > "$report"
echo "verify.sh: report written to $report"
