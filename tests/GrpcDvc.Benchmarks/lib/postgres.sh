# Shared by the benchmark scripts (sourced, not run): a throwaway PostgreSQL cluster from Debian's
# binaries the way the test suite's Support/PostgresCluster starts one (initdb/pg_ctl, as the
# 'postgres' OS user when run as root, a free port, a temp folder deleted at the end), and one
# pgbench level with its latency percentiles. PostgreSQL keeps its durability defaults (fsync and
# synchronous_commit on).
#
#   source lib/postgres.sh
#   pg_start "$extra_settings"    # sets work data port conn; q "SQL" runs a query on database dvc
#   pg_level script.sql CLIENTS   # prints "tps p50_ms p99_ms"; DURATION seconds (default 20)
#   syscall_us                    # prints what one system call costs here, in microseconds

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pgbin/initdb" ] || { echo "benchmark: no PostgreSQL server binaries (apt-get install postgresql)" >&2; exit 1; }
pgbench=$( [ -x "$pgbin/pgbench" ] && echo "$pgbin/pgbench" || command -v pgbench )
psql=$( [ -x "$pgbin/psql" ] && echo "$pgbin/psql" || command -v psql )
[ -n "$pgbench" ] || { echo "benchmark: pgbench not found" >&2; exit 1; }

as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
q() { "$psql" -h 127.0.0.1 -p "$port" -U postgres -d dvc -At -c "$1"; }

pg_start() {
  work=$(mktemp -d /tmp/grpcdvc-bench-XXXXXX)
  chmod 700 "$work"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$work"
  data="$work/data"
  trap pg_cleanup EXIT
  as_pg "$pgbin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  port=$(free_port)
  as_pg "$pgbin/pg_ctl" -D "$data" -l "$work/postgres.log" -w -t 60 \
    -o "-p $port -k $work -c listen_addresses=127.0.0.1 $1" start >/dev/null
  "$psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE dvc"
  conn="Host=127.0.0.1;Port=$port;Username=postgres;Database=dvc"
}

pg_cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then
    echo "benchmark: cluster kept: $psql -h 127.0.0.1 -p $port -U postgres dvc   (stop: $pgbin/pg_ctl -D $data stop)"
    return
  fi
  as_pg "$pgbin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}

percentile() { # file-of-latencies-us percentile → ms
  sort -n "$1" | awk -v p="$2" '{a[NR]=$1} END {i=int((NR*p+99)/100); if (i<1) i=1; printf "%.3f", a[i]/1000}'
}

pg_level() {
  local script=$1 c=$2 jobs out
  jobs=$(( c < 2 ? 1 : 2 ))
  out="$work/pgbench-${script%.sql}-$c.txt"
  rm -f "$work"/pgb.*
  [ "$(id -u)" -eq 0 ] && chown -R postgres: "$work"
  (cd "$work" && "$pgbench" -h 127.0.0.1 -p "$port" -U postgres -n -M prepared -f "$script" \
     -c "$c" -j "$jobs" -T "${DURATION:-20}" --log --log-prefix=pgb dvc) > "$out" 2>&1
  cat "$work"/pgb.* | awk '{print $3}' > "$work/lat.txt"
  echo "$(grep -oE 'tps = [0-9.]+' "$out" | tail -1 | awk '{printf "%.0f", $3}') $(percentile "$work/lat.txt" 50) $(percentile "$work/lat.txt" 99)"
}

# What a system call costs on this machine (a million of them: dd copying half a megabyte a byte at a
# time), in microseconds. Machines of the same size differ: from one day to the next the booking storm's
# figures halved and pgbench's fell five-fold on the same code, on a machine where a system call cost
# 1.4 µs when quiet. Every round trip pays several, so reports print it beside their figures.
syscall_us() {
  local start end
  start=$(date +%s%N)
  dd if=/dev/zero of=/dev/null bs=1 count=500000 2>/dev/null
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.2f", ns / 1000 / 1000000 }'
}
