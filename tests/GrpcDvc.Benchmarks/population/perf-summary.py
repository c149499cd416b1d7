#!/usr/bin/env python3
"""Markdown summary of a whole-machine perf profile for the population benchmark (profile.sh).

  perf script -F comm,pid,ip,sym,dso --hide-call-graph -i perf.data | perf-summary.py SERVER_PID DRIVER_PID [postgres]

Counts each sample's leaf frame (self time). Processes are told by pid, not by perf's comm: a .NET
process names each thread (".NET TP Worker"), so `perf report --sort comm` splits the server and the
driver into thread names they share. PostgreSQL is every process named postgres (one per backend)."""
import collections
import os
import re
import sys

# The dso is the last parenthesised part and may hold one more ("memfd:doublemapper (deleted)"); a
# .NET symbol from the perf map holds its own parameter list.
LINE = re.compile(r"^\s*(?P<comm>.*?)\s+(?P<pid>\d+)\s+(?P<ip>[0-9a-f]+)\s+(?P<sym>.*?)\s*\((?P<dso>(?:[^()]|\([^()]*\))*)\)\s*$")
TOP = 25


def short(sym):
    """A .NET perf-map name without its return type, assembly and parameters:
    "instance void [Npgsql] Npgsql.X::Clear(int32)[OptimizedTier1]" -> "Npgsql.X::Clear()[OptimizedTier1]"."""
    if "::" not in sym:
        return sym
    sym = re.sub(r"^[^(]*?\] ", "", sym, count=1)
    return re.sub(r"\(.*\)", "()", sym)


def main():
    server, driver = sys.argv[1], sys.argv[2]
    with_postgres = len(sys.argv) > 3 and sys.argv[3] == "postgres"
    per_process = collections.Counter()
    symbols = {"server": collections.Counter(), "postgres": collections.Counter()}
    for line in sys.stdin:
        m = LINE.match(line)
        if not m:
            continue
        pid, comm = m["pid"], m["comm"]
        who = ("server" if pid == server else "driver" if pid == driver else "postgres" if comm == "postgres"
               else "idle" if pid == "0" else "perf" if comm == "perf" else "other")
        per_process[who] += 1
        if who in symbols:
            sym = short(m["sym"] or "[unknown]")
            symbols[who][f"{sym} ({os.path.basename(m['dso'])})"] += 1
    total = sum(per_process.values())
    if total == 0:
        print("The profile holds no samples.")
        return
    names = {"server": "server (GrpcDvc.Server)", "driver": "load driver (GrpcDvc.LookupLoad)",
             "postgres": "postgres (every backend)", "idle": "idle (pid 0)", "perf": "perf",
             "other": "other processes on the machine"}
    print("Samples per process (leaf frames of `perf script`, told by pid):\n")
    print("| process | samples | share |\n|---|---:|---:|")
    for who, n in per_process.most_common():
        print(f"| {names[who]} | {n} | {100 * n / total:.1f} % |")
    for who, title in (("server", "the server"), ("postgres", "PostgreSQL")):
        if who == "postgres" and not with_postgres:
            continue
        own = sum(symbols[who].values())
        print(f"\nTop symbols of {title} (self time, share of its own {own} samples):\n\n```")
        for sym, n in symbols[who].most_common(TOP):
            print(f"{100 * n / own:6.2f} %  {sym}")
        print("```")


main()
