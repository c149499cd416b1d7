# Sourced by run.sh when PERF=1: a whole-machine perf profile of one recorded level of the load
# driver (the driver appends "start N" to its --mark file as the level of N callers starts, after
# its warm-up), and the report's profile section. The server runs with DOTNET_PerfMapEnabled=1, so
# perf names its JIT-compiled frames from /tmp/perf-PID.map, and DOTNET_EnableWriteXorExecute=0:
# with W^X on, JIT code runs from a memfd double mapping that perf does not look up in the map.

# The folder of this file, for its helper script, whichever benchmark sources it.
profile_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# profile_level MARK CALLERS SECONDS OUT: in the background, wait for the level's start, then record
# every CPU (-a) with call graphs at 99 Hz for the level's length. Sets profile_pid.
profile_level() {
  local mark=$1 callers=$2 seconds=$3 out=$4
  (
    until grep -qx "start $callers" "$mark" 2>/dev/null; do sleep 0.05; done
    perf record -a -g -F 99 -o "$out" -- sleep "$seconds" >"$out.log" 2>&1
  ) &
  profile_pid=$!
}

# profile_done MARK CALLERS: after the driver exits; stops a watcher whose level never started.
profile_done() {
  local mark=$1 callers=$2
  if ! grep -qx "start $callers" "$mark" 2>/dev/null; then
    kill "$profile_pid" 2>/dev/null || true
  fi
  wait "$profile_pid" 2>/dev/null || true
}

# profile_section OUT SERVER_PID DRIVER_PID: Markdown, the samples per process, then the top symbols
# of the server and (on PostgreSQL) of the backends, each a share of that process's own samples.
profile_section() {
  local out=$1 server_pid=$2 driver_pid=$3
  if [ ! -s "$out" ]; then
    echo "No profile was recorded (see $out.log)."
    return
  fi
  perf script -i "$out" -F comm,pid,ip,sym,dso --hide-call-graph 2>/dev/null \
    | python3 "$profile_here/perf-summary.py" "$server_pid" "$driver_pid" "${provider:-postgres}"
}
