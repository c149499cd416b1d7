#!/usr/bin/env bash
# Mutation testing of the security-critical rules with Stryker.NET (issue 9): it plants small bugs
# (a < turned into <=, a condition negated, a statement removed) in access, identity, the registry's
# read rules and the ID-number type, one at a time, runs the tests that cover each, and counts the
# bugs no test caught. Not a test (hours of CPU on 2 cores): it prints the score and writes a report
# under tests/GrpcDvc.Benchmarks/reports/, with every surviving mutant.
#
#   tests/GrpcDvc.Benchmarks/mutation/run.sh                 # every area below
#   tests/GrpcDvc.Benchmarks/mutation/run.sh idnumber        # one area: access identity registry idnumber
#   SINCE=main tests/GrpcDvc.Benchmarks/mutation/run.sh      # only code changed since a commit
#
# Tests that start other programs (Python, Node, Ruby peers, Chromium, the dvc tool's scripts, the
# server as its own process for fault and connection tests) are left out of the runs: a separate
# server process runs the unmutated build, so they cannot kill a mutant, and they cost most of the time.
# Even so, each area is a few hundred to a few thousand mutants: hours on 2 cores; run one at a time.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
reports="$repo/tests/GrpcDvc.Benchmarks/reports"
areas=("$@")
[ ${#areas[@]} -gt 0 ] || areas=(access identity registry idnumber)

globs=()
for area in "${areas[@]}"; do
  case "$area" in
    access)   globs+=("**/GrpcDvc.Server/Access/**/*.cs") ;;
    identity) globs+=("**/GrpcDvc.Server/Identity/**/*.cs") ;;
    registry) globs+=("**/GrpcDvc.Server/Population/Registry/**/*.cs") ;;
    idnumber) globs+=("**/GrpcDvc.Server/Population/PersonalIdNumber.cs" "**/GrpcDvc.Server/Population/OldIdNumber.cs" "**/GrpcDvc.Server/Population/IdProvinceCodes.cs" "**/GrpcDvc.Server/Identity/Accounts/CitizenIdNumber.cs") ;;
    *) echo "run.sh: unknown area '$area' (access identity registry idnumber)" >&2; exit 2 ;;
  esac
done

cd "$repo"
dotnet tool restore >/dev/null
work=$(mktemp -d /tmp/grpcdvc-mutation-XXXXXX)
trap 'rm -rf "$work"' EXIT

# The config lists what to mutate; logging and generated code are not rules.
python3 - "$work/stryker-config.json" "${globs[@]}" <<'PY'
import json, sys
out, globs = sys.argv[1], sys.argv[2:]
json.dump({"stryker-config": {
    "project": "GrpcDvc.Server.csproj",
    "configuration": "Release",
    "mutate": globs + ["!**/*Log*.cs", "!**/obj/**"],
    "coverage-analysis": "perTest",
    "test-case-filter": "FullyQualifiedName!~GrpcDvc.Tests.Peers&FullyQualifiedName!~GrpcDvc.Tests.Web&FullyQualifiedName!~GrpcDvc.Tests.Scripts&FullyQualifiedName!~GrpcDvc.Tests.Interop&FullyQualifiedName!~GrpcDvc.Tests.Cli&FullyQualifiedName!~GrpcDvc.Tests.Protos&FullyQualifiedName!~GrpcDvc.Tests.Faults&FullyQualifiedName!~GrpcDvc.Tests.Hardening.ConnectionAbuse",
    "reporters": ["progress", "json"],
    "thresholds": {"high": 85, "low": 70, "break": 0},
    "concurrency": 1,
    "ignore-methods": ["*Log.*", "*.LogInformation", "*.LogWarning", "*.LogError", "*.LogDebug"],
}}, open(out, "w"), indent=2)
PY

since=()
[ -n "${SINCE:-}" ] && since=(--since:"$SINCE")
started=$(date +%s)
# From the test project's folder: at the repository root Stryker would take the solution and mutate every project.
(cd "$repo/tests/GrpcDvc.Tests" && dotnet stryker --config-file "$work/stryker-config.json" --output "$work/out" "${since[@]}")
elapsed=$(( $(date +%s) - started ))

json=$(find "$work/out" -name mutation-report.json | head -1)
mkdir -p "$reports"
report="$reports/mutation-$(date -u +%Y-%m-%d-%H%M).md"
python3 "$here/report.py" "$json" "$repo/server/GrpcDvc.Server" "${areas[*]}" "$elapsed" "$(cut -d' ' -f1-3 /proc/loadavg)" > "$report"
sed -n '1,/^## Survivors/p' "$report"
echo "run.sh: report written to ${report#$repo/}"
