#!/usr/bin/env bash
# Benchmarks grpc-dotnet (Grpc.AspNetCore, target a: AddGrpc + MapGrpcService, as the server
# hosts its services) against a bare Kestrel endpoint doing the same framing by hand (target b)
# with h2load (Debian package nghttp2-client), then writes reports/grpc-dotnet-<stamp>.md and
# prints it. Both hosts measure the framework alone: the server's authentication, gate
# interceptor and gzip response compression are not in the bench host.
#
#   tests/GrpcDvc.Benchmarks/run.sh
#
# Both targets run as their own host process. After a warm-up of each, every row (call kind x
# concurrency) runs ROUNDS rounds, a and b back to back in alternating order, so load from
# anything else on the machine hits both alike. A round sends a fixed number of calls sized
# from a timed warm-up to last about ROUND_SECONDS, so every response can be accounted for:
# h2load ignores grpc-status, so each round checks that every call finished with HTTP 200, no
# h2load error, and exactly count x the framed response size in DATA bytes (each host also
# makes one real call per rpc at start-up and checks grpc-status 0 in the trailers).
#
# Settings (environment):
#   PREWARM_SECONDS=5 WARMUP_SECONDS=2   start-up warm-up per target and kind; timed warm-up per row
#   ROUNDS=3 ROUND_SECONDS=3             measured rounds per row and target, and their length
#   LAYOUTS="1x1 2x5 4x25"               connections x streams per connection (1, 10, 100 streams)
#   PAYLOAD_BYTES=256 STREAM_COUNT=10    payload size; response messages per streaming call
#   LOG_LEVEL=Warning                    hosts' minimum log level (Information logs every request)
#   BASELINE=reports/grpc-binding-2026-11-23-1716.md
#                                        earlier report to compare ratios and CPU µs/call with, row by
#                                        row (default: the hand-written layer's last one; empty: none)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
prewarm=${PREWARM_SECONDS:-5}
warmup=${WARMUP_SECONDS:-2}
rounds=${ROUNDS:-3}
round_seconds=${ROUND_SECONDS:-3}
layouts=${LAYOUTS:-"1x1 2x5 4x25"}
payload_bytes=${PAYLOAD_BYTES:-256}
stream_count=${STREAM_COUNT:-10}
log_level=${LOG_LEVEL:-Warning}
baseline=${BASELINE-reports/grpc-binding-2026-11-23-1716.md}
[ -z "$baseline" ] || [ "${baseline#/}" != "$baseline" ] || baseline="$here/$baseline"
[ -z "$baseline" ] || [ -f "$baseline" ] || { echo "run.sh: BASELINE $baseline not found" >&2; exit 1; }
targets=(grpc bare)
kinds=(unary stream)
declare -A rpc_path=([unary]=/dvc.bench.v1.BenchService/Echo [stream]=/dvc.bench.v1.BenchService/Stream)

command -v h2load >/dev/null || { echo "run.sh: h2load not found (Debian package nghttp2-client)" >&2; exit 1; }

echo "run.sh: building the bench host (Release)"
dotnet build "$here/GrpcDvc.Benchmarks.csproj" -c Release --nologo -v quiet >/dev/null
host="$here/bin/Release/net10.0/GrpcDvc.Benchmarks"
grpc_version() { grep -o '"Grpc.AspNetCore.Server/[0-9.]*"' "$host.deps.json" | head -1 | tr -d '"' | cut -d/ -f2; }

work=$(mktemp -d)
host_pids=()
cleanup() {
  for p in "${host_pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

declare -A port pid response_bytes rate
server_gc="?"
start_host() {
  local target=$1
  "$host" --target "$target" --work "$work" --payload-bytes "$payload_bytes" \
    --stream-count "$stream_count" --log-level "$log_level" >"$work/$target.out" 2>&1 &
  host_pids+=("$!")
  for _ in $(seq 300); do
    [ -f "$work/$target.ready" ] && break
    kill -0 "$!" 2>/dev/null || { cat "$work/$target.out" >&2; echo "run.sh: $target host failed" >&2; exit 1; }
    sleep 0.1
  done
  [ -f "$work/$target.ready" ] || { echo "run.sh: $target host not ready after 30 s" >&2; exit 1; }
  local key value
  while IFS='=' read -r key value; do
    case $key in
      port) port[$target]=$value ;;
      pid) pid[$target]=$value ;;
      unary_response_bytes) response_bytes[$target.unary]=$value ;;
      stream_response_bytes) response_bytes[$target.stream]=$value ;;
      server_gc) server_gc=$value ;;
    esac
  done <"$work/$target.ready"
  echo "run.sh: $target host pid ${pid[$target]} on 127.0.0.1:${port[$target]} (self-check passed)"
}

status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'; }
allocated() { awk -F= '$1 == "allocated_bytes" { print $2 }' "$work/$1.stats"; }

load_args=()
set_load_args() { # target kind layout
  load_args=(-c "${3%x*}" -m "${3#*x}" -d "$work/$1-$2.bin" -H 'content-type: application/grpc' -H 'te: trailers'
    "http://127.0.0.1:${port[$1]}${rpc_path[$2]}")
}

timed_warmup() { # target kind layout seconds -> calls/s
  set_load_args "$1" "$2" "$3"
  h2load -D "$4" "${load_args[@]}" | awk '/^finished in/ { print int($4) }'
}

# One measured round of one target: a line in rounds.tsv, its latencies in latency-<row>-<target>.txt.
measure_round() {
  local target=$1 kind=$2 layout=$3 round=$4
  local concurrency=$((${layout%x*} * ${layout#*x})) p=${pid[$1]}
  local out="$work/h2load-$kind-$layout-$target-$round.txt" log="$work/log-$kind-$layout-$target-$round.tsv"
  local count=$(( ${rate[$target]:-0} * round_seconds ))
  [ "$count" -ge $((concurrency * 20)) ] || count=$((concurrency * 20))
  set_load_args "$target" "$kind" "$layout"

  local rss_before ticks_before alloc_before
  rss_before=$(status_kib "$p" VmRSS); ticks_before=$(cpu_ticks "$p"); alloc_before=$(allocated "$target")
  local exit_code=0
  timeout $((round_seconds * 5 + 30)) h2load -n "$count" --log-file "$log" "${load_args[@]}" >"$out" 2>&1 || exit_code=$?
  local rss_after hwm_after ticks_after alloc_after
  rss_after=$(status_kib "$p" VmRSS); hwm_after=$(status_kib "$p" VmHWM); ticks_after=$(cpu_ticks "$p")
  sleep 0.25 # the host rewrites its stats file every 100 ms
  alloc_after=$(allocated "$target")

  local elapsed="" rps="" done="" succeeded="" failed="" errored="" timedout=""
  # h2load prints the time as e.g. "3.02s", "912.40ms" or "850us".
  read -r elapsed rps < <(awk '/^finished in/ { t = $3; sub(/,$/, "", t); f = 1
    if (sub(/us$/, "", t)) f = 1e-6; else if (sub(/ms$/, "", t)) f = 1e-3; else sub(/s$/, "", t)
    printf "%.6f %s\n", t * f, $4 }' "$out") || true
  read -r done succeeded failed errored timedout < <(awk '/^requests:/ { print $6, $8, $10, $12, $14 }' "$out") || true
  local ok2xx data logged non200
  ok2xx=$(awk '/^status codes:/ { print $3 }' "$out")
  data=$(sed -n 's/.*(\([0-9]*\)) data$/\1/p' "$out")
  logged=$(wc -l <"$log" 2>/dev/null || echo 0)
  non200=$(awk -F'\t' '$2 != 200' "$log" 2>/dev/null | wc -l)
  cut -f3 "$log" >>"$work/latency-$kind-$layout-$target.txt" 2>/dev/null || true
  local expected=$((count * ${response_bytes[$target.$kind]}))

  local problems=()
  [ "$exit_code" -eq 0 ] || problems+=("h2load exit $exit_code")
  { [ "${done:-0}" = "$count" ] && [ "${succeeded:-0}" = "$count" ]; } || problems+=("done ${done:-?}, succeeded ${succeeded:-?} of $count")
  [ "${failed:-1}${errored:-1}${timedout:-1}" = "000" ] || problems+=("failed ${failed:-?}, errored ${errored:-?}, timeout ${timedout:-?}")
  [ "${ok2xx:-0}" = "$count" ] || problems+=("2xx ${ok2xx:-?} of $count")
  [ "$non200" -eq 0 ] || problems+=("$non200 non-200 in log")
  [ "$logged" = "$count" ] || problems+=("$logged latencies logged of $count")
  [ "${data:-0}" = "$expected" ] || problems+=("data ${data:-?} B, expected $expected B")
  local check="ok"
  [ ${#problems[@]} -eq 0 ] || check="$(IFS=','; echo "${problems[*]}")"

  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$layout" "$target" "$round" \
    "$count" "${elapsed:-0}" "${rps:-0}" "$((ticks_after - ticks_before))" "$((alloc_after - alloc_before))" \
    "$((rss_before / 1024))" "$((rss_after / 1024))" "$((hwm_after / 1024))" "$check" >>"$work/rounds.tsv"
  {
    echo "#### $kind, $layout, $target, round $round ($count calls)"
    echo '```'
    grep -E '^(finished in|requests:|status codes:|traffic:|time for request:)' "$out" || echo "(no h2load summary)"
    echo '```'
  } >>"$work/raw.md"
  printf 'run.sh: %-6s %-5s %-7s round %s: %9s calls/s  %s\n' "$kind" "$layout" "$target" "$round" "${rps:-?}" "$check"
}

started=$(date +%s)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for target in "${targets[@]}"; do start_host "$target"; done
for target in "${targets[@]}"; do
  for kind in "${kinds[@]}"; do timed_warmup "$target" "$kind" 4x25 "$prewarm" >/dev/null; done
done

: >"$work/rounds.tsv"
for kind in "${kinds[@]}"; do
  for layout in $layouts; do
    for target in "${targets[@]}"; do rate[$target]=$(timed_warmup "$target" "$kind" "$layout" "$warmup"); done
    for round in $(seq "$rounds"); do
      # Alternate which target goes first so drift during a row does not favour one of them.
      if [ $((round % 2)) -eq 1 ]; then order=(grpc bare); else order=(bare grpc); fi
      for target in "${order[@]}"; do measure_round "$target" "$kind" "$layout" "$round"; done
    done
  done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# Latency percentiles over every call of every round, per row and target.
: >"$work/percentiles.tsv"
for kind in "${kinds[@]}"; do
  for layout in $layouts; do
    for target in "${targets[@]}"; do
      sort -n "$work/latency-$kind-$layout-$target.txt" | awk -v k="$kind" -v l="$layout" -v t="$target" '
        { v[NR] = $1 }
        END { printf "%s\t%s\t%s\t%.2f\t%.2f\n", k, l, t,
              v[int(NR * 0.50 + 0.999999)] / 1000, v[int(NR * 0.99 + 0.999999)] / 1000 }' >>"$work/percentiles.tsv"
    done
  done
done

stamp=$(date +%Y-%m-%d-%H%M)
mkdir -p "$here/reports"
report="$here/reports/grpc-dotnet-$stamp.md"
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
[ -z "$(git -C "$repo" status --porcelain -- server tests/GrpcDvc.Benchmarks ':!tests/GrpcDvc.Benchmarks/reports' 2>/dev/null)" ] \
  || commit="$commit with local changes"
hz=$(getconf CLK_TCK)
cores=$(nproc)
{
  echo "# grpc-dotnet (Grpc.AspNetCore) vs bare Kestrel — $(date '+%Y-%m-%d %H:%M %Z')"
  echo
  echo "Target: grpc-dotnet's throughput is at least 0.8 of bare Kestrel's on every row."
  echo
  awk -F'\t' -v hz="$hz" '
    FILENAME ~ /percentiles/ { p50[$1, $2, $3] = $4; p99[$1, $2, $3] = $5; next }
    {
      row = $1 SUBSEP $2; key = row SUBSEP $3
      if (!(row in seen)) { seen[row] = 1; order[++rows] = row }
      calls[key] += $5; secs[key] += $6; ticks[key] += $8; per_call[key, $4] = $9 / $5; rps[key, $4] = $7
      if (!((key) in before)) before[key] = $10
      after[key] = $11; if ($12 > peak[key]) peak[key] = $12
      if ($13 != "ok") bad[key] = bad[key] (bad[key] == "" ? "" : "; ") "round " $4 ": " $13
      if ($4 > nrounds) nrounds = $4
    }
    # Median over the rounds: a round in which the GC retires a heap reads far too little (see below).
    function median_alloc(key,   n, i, j, x, v) {
      n = 0
      for (i = 1; i <= nrounds; i++) if ((key, i) in per_call) v[++n] = per_call[key, i]
      for (i = 2; i <= n; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
      return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    END {
      print "| call | streams (conns×streams) | grpc-dotnet calls/s | bare calls/s | ratio a/b (rounds) | ≥ 0.8 | p50 ms a / b | p99 ms a / b | CPU µs/call a / b | alloc B/call a / b | checks |"
      print "|---|---|---:|---:|---:|:-:|---:|---:|---:|---:|---|"
      for (r = 1; r <= rows; r++) {
        row = order[r]; split(row, part, SUBSEP); split(part[2], lay, "x")
        a = row SUBSEP "grpc"; b = row SUBSEP "bare"
        ra = calls[a] / secs[a]; rb = calls[b] / secs[b]; ratio = ra / rb
        lo = 99; hi = 0
        for (i = 1; i <= nrounds; i++) { x = rps[a, i] / rps[b, i]; if (x < lo) lo = x; if (x > hi) hi = x }
        checks = (bad[a] == "" && bad[b] == "") ? "ok" : "grpc-dotnet: " (bad[a] == "" ? "ok" : bad[a]) " / bare: " (bad[b] == "" ? "ok" : bad[b])
        printf "| %s | %d (%s×%s) | %.0f | %.0f | %.2f (%.2f–%.2f) | %s | %s / %s | %s / %s | %.1f / %.1f | %.0f / %.0f | %s |\n",
          (part[1] == "unary" ? "unary Echo" : "server streaming Stream"), lay[1] * lay[2], lay[1], lay[2],
          ra, rb, ratio, lo, hi, (ratio >= 0.8 ? "yes" : "**no**"),
          p50[part[1], part[2], "grpc"], p50[part[1], part[2], "bare"],
          p99[part[1], part[2], "grpc"], p99[part[1], part[2], "bare"],
          ticks[a] * 1e6 / hz / calls[a], ticks[b] * 1e6 / hz / calls[b],
          median_alloc(a), median_alloc(b), checks
      }
      print ""
      print "Host memory, MiB: VmRSS before the first round → after the last round of each row (VmHWM peak so far)."
      print ""
      print "| call | streams | grpc-dotnet RSS | bare RSS |"
      print "|---|---|---:|---:|"
      for (r = 1; r <= rows; r++) {
        row = order[r]; split(row, part, SUBSEP); split(part[2], lay, "x")
        a = row SUBSEP "grpc"; b = row SUBSEP "bare"
        printf "| %s | %d | %d → %d (%d) | %d → %d (%d) |\n", part[1], lay[1] * lay[2],
          before[a], after[a], peak[a], before[b], after[b], peak[b]
      }
    }' "$work/percentiles.tsv" "$work/rounds.tsv" | tee "$work/table.md"
  if [ -n "$baseline" ]; then
    echo
    echo "Against the hand-written layer's report \`${baseline##*/}\` (same method, same machine; its target (a) was the"
    echo "hand-written binding). Ratio = (a) calls/s ÷ bare calls/s over the rounds; CPU µs/call is the steadier figure,"
    echo "and CPU a/b = (a) CPU µs/call ÷ bare CPU µs/call within one run."
    echo
    # Both tables have the same columns: ratio is the 6th field, CPU the 10th, alloc the 11th.
    awk -F'|' '
      FNR == 1 { file++ }
      /^\| (unary Echo|server streaming Stream) \|/ {
        call = $2; gsub(/^ +| +$/, "", call); n = $3; sub(/^ */, "", n); sub(/ .*/, "", n)
        ratio = $6; sub(/^ */, "", ratio); sub(/ .*/, "", ratio)
        split($10, cpu, "/"); split($11, alloc, "/")
        key = call SUBSEP n
        if (file == 1) { old_ratio[key] = ratio; old_a[key] = cpu[1] + 0; old_b[key] = cpu[2] + 0; old_alloc[key] = alloc[1] + 0; next }
        if (!(key in old_ratio)) next
        printf "| %s | %s | %.2f | %.2f | %.1f / %.1f (%.2f) | %.1f / %.1f (%.2f) | %d | %d |\n", call, n,
          old_ratio[key], ratio, old_a[key], old_b[key], old_a[key] / old_b[key], cpu[1], cpu[2], cpu[1] / cpu[2],
          old_alloc[key], alloc[1]
      }' "$baseline" "$work/table.md" >"$work/comparison.md"
    echo "| call | streams | hand-written ratio a/b | grpc-dotnet ratio a/b | hand-written CPU µs/call a / bare (a/b) | grpc-dotnet CPU µs/call a / bare (a/b) | hand-written alloc B/call | grpc-dotnet alloc B/call |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    cat "$work/comparison.md"
  fi
  echo
  echo "How it was measured"
  echo
  echo "- One host process per target, built Release, same WebApplication builder and Kestrel settings (loopback h2c,"
  echo "  HTTP/2 only), server GC ${server_gc}, log level ${log_level}: ASP.NET Core's per-request lines (Information) and"
  echo "  grpc-dotnet's per-call lines (Debug) are filtered, not written. Target (a) is grpc-dotnet $(grpc_version):"
  echo "  \`AddGrpc()\` with its defaults and \`MapGrpcService\` of a bench-only service (endpoint routing, as the server"
  echo "  maps its services). It measures the framework alone: the production server adds authentication (JwtBearer),"
  echo "  the gate interceptor, gzip response compression, gRPC-Web and CORS, and a database. Target (b) is a plain"
  echo "  terminal middleware with hand-written framing."
  echo "- Payload ${payload_bytes} bytes; framed response ${response_bytes[grpc.unary]} B per unary call and"
  echo "  ${response_bytes[grpc.stream]} B per streaming call (${stream_count} messages, each flushed)."
  echo "- ${prewarm} s warm-up per target and kind at 100 streams, then per row a ${warmup} s timed warm-up per target and"
  echo "  ${rounds} rounds of about ${round_seconds} s each, a and b back to back in alternating order. calls/s = all calls ÷ all"
  echo "  round time; the ratio's range is over the rounds. Latency per call from h2load's per-request log"
  echo "  (\`--log-file\`) over all rounds. CPU µs/call = the host's user+system time ÷ calls. alloc B/call = the host's"
  echo "  GC.GetTotalAllocatedBytes(precise: true) difference ÷ calls, the median over the rounds: on .NET 10 with server"
  echo "  GC the counter sums only the heaps in use, so when DATAS retires a heap it drops (dotnet/runtime#131069) and"
  echo "  that round reads too little, even below 0; the other rounds of a row agree to a few bytes. Reports before"
  echo "  grpc-dotnet summed every round of the imprecise counter, so their alloc figures are off, some 0."
  echo "- checks: every call done with HTTP 200, no h2load error, response DATA bytes exactly calls × framed size; each"
  echo "  host also made one real call per rpc at start-up and saw grpc-status 0 in the trailers."
  echo "- h2load (1 thread) and both hosts share the machine; nothing is pinned to a core. Load average (1, 5, 15 min)"
  echo "  at start ${load_start}, at end ${load_end}; whole run $(( $(date +%s) - started )) s."
  if awk -v l="${load_start%% *} ${load_end%% *}" -v c="$cores" 'BEGIN { split(l, x, " "); exit !(x[1] > c || x[2] > c) }'; then
    echo "  **Other work was running on the machine (load above ${cores}), so calls/s and latency are noisy; CPU µs/call and"
    echo "  alloc B/call are the steadier comparison.**"
  fi
  echo
  echo "Machine: ${cores} cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM,"
  echo "Debian $(cat /etc/debian_version 2>/dev/null || echo '?'), kernel $(uname -r), .NET $(dotnet --list-runtimes | awk '/Microsoft.AspNetCore.App/ { v = $2 } END { print v }'),"
  echo "$(h2load --version | head -1), commit ${commit}."
  echo
  echo "<details><summary>h2load summaries</summary>"
  echo
  cat "$work/raw.md"
  echo "</details>"
} >"$report"

echo
sed '/^<details>/,$d' "$report"
echo "run.sh: report written to ${report#"$repo"/}"
