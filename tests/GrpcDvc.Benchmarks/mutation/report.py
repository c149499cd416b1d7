"""Turns Stryker's mutation-report.json into the Markdown report: the score per area and file, and
every surviving mutant with its place and replacement, for a reader to judge."""
import json
import os
import sys

report_path, server_root, areas, elapsed, load = sys.argv[1:6]
test_filter = sys.argv[6] if len(sys.argv) > 6 else None
report = json.load(open(report_path))

KILLED = {"Killed", "Timeout"}
COUNTED = KILLED | {"Survived", "NoCoverage"}


def score(mutants):
    counted = [m for m in mutants if m["status"] in COUNTED]
    killed = [m for m in counted if m["status"] in KILLED]
    return len(killed), len(counted)


rows, survivors, everything = [], [], []
for path, file in sorted(report["files"].items()):
    name = os.path.relpath(path, server_root) if os.path.isabs(path) else path
    mutants = file["mutants"]
    everything.extend(mutants)
    killed, counted = score(mutants)
    if counted:
        rows.append((name, killed, counted))
    for m in mutants:
        if m["status"] in ("Survived", "NoCoverage"):
            line = m["location"]["start"]["line"]
            survivors.append((name, line, m["status"], m["mutatorName"], m.get("replacement", "").replace("\n", " ")[:120]))

killed, counted = score(everything)
total = 100.0 * killed / counted if counted else 0.0
print(f"# Mutation testing ({areas})\n")
print(f"Stryker.NET 5.1.0 over the server's {areas} code; {elapsed} s wall on 2 cores (load average {load}).\n")
if test_filter:
    print(f"Tests run (VSTest filter): `{test_filter}`\n")
# A timeout counts as killed (the mutant hung the tests), but on a loaded machine a slow run can time out too: say how many.
print(f"**Score: {total:.1f} %** ({killed} of {counted} mutants killed or timed out, "
      f"{sum(1 for m in everything if m['status'] == 'Timeout')} of them by timeout; "
      f"{sum(1 for m in everything if m['status'] == 'CompileError')} did not compile, "
      f"{sum(1 for m in everything if m['status'] == 'Ignored')} ignored).\n")
print("| file | killed | mutants | score |\n|---|---:|---:|---:|")
for name, k, c in rows:
    print(f"| {name} | {k} | {c} | {100.0 * k / c:.0f} % |")
print(f"\n## Survivors ({len(survivors)})\n")
print("| file | line | status | mutator | replacement |\n|---|---:|---|---|---|")
for name, line, status, mutator, replacement in survivors:
    print(f"| {name} | {line} | {status} | {mutator} | `{replacement.replace('|', '/')}` |")
