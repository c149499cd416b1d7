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
#   PROVIDERS=sqlite tests/GrpcDvc.Benchmarks/mutation/run.sh identity  # storage tests on SQLite only
#   FILTER='FullyQualifiedName~GrpcDvc.Tests.Identity.Assertions.' tests/GrpcDvc.Benchmarks/mutation/run.sh identity/Assertions
#                                                            # a narrower test filter than the area's (a floor still)
#
# Each area runs only the test classes written for it (the filters below), not the suite: Stryker's
# first test run and its per-test coverage run otherwise take the whole suite twice (~12 min on
# 2 cores) before the first mutant. The price: a mutant only some other class would kill (an
# integration test elsewhere) counts here as a survivor, so a score is a floor, never flattered.
# Tests that start other programs (peers, Chromium, scripts, the server as its own process) are in
# no filter anyway: that process runs the unmutated build, so they cannot kill a mutant.
# Stryker runs under nice -n 10 (NICE= to change): the machine is shared and this is background work.
# Each area is a few hundred to over a thousand mutants: run one at a time.
#
#   tests/GrpcDvc.Benchmarks/mutation/run.sh identity-rules  # identity's SignIn, Tokens, Secrets, Officials only
#   tests/GrpcDvc.Benchmarks/mutation/run.sh identity/SignIn identity/Secrets  # identity one folder at a time
#     (the whole of identity is over a thousand mutants, hours on 2 cores; its folders fit a sitting each)
#   tests/GrpcDvc.Benchmarks/mutation/run.sh identity-root   # the files directly in Identity/, outside its folders
#   tests/GrpcDvc.Benchmarks/mutation/run.sh identity-rpcs   # of those, the rpc services and their mapping only
#   tests/GrpcDvc.Benchmarks/mutation/run.sh identity-options  # the rest of identity-root, one run each (named together
#   tests/GrpcDvc.Benchmarks/mutation/run.sh identity-errors   # they would be one run under both filters): the options
#     and registration (each mutant runs the option classes only), then the failures' mapping to statuses
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
reports="$repo/tests/GrpcDvc.Benchmarks/reports"
areas=("$@")
[ ${#areas[@]} -gt 0 ] || areas=(access identity registry idnumber)

# What each area mutates, and the test classes that exercise it (VSTest filter syntax).
globs=()
filters=()
for area in "${areas[@]}"; do
  case "$area" in
    access)
      globs+=("**/GrpcDvc.Server/Access/**/*.cs")
      # The gate, method rules, agency hierarchy and the role x rpc matrix all live in Access tests.
      filters+=("FullyQualifiedName~GrpcDvc.Tests.Access.") ;;
    identity/*)
      folder=${area#identity/}
      [ -d "$repo/server/GrpcDvc.Server/Identity/$folder" ] || { echo "run.sh: no folder Identity/$folder" >&2; exit 2; }
      globs+=("**/GrpcDvc.Server/Identity/$folder/**/*.cs")
      filters+=("FullyQualifiedName~GrpcDvc.Tests.Identity.")
      # Every call's token is read by the gate: the access tests (malformed-token fuzzing, the
      # refusals' exact text) exercise Tokens/ as much as identity's own tests do.
      if [ "$folder" = Tokens ]; then filters+=("FullyQualifiedName~GrpcDvc.Tests.Access."); fi ;;
    identity-root)
      # The files directly in Identity/ (the rpcs, options and their validation, errors, mapping), which no
      # identity/<Folder> run covers.
      globs+=("**/GrpcDvc.Server/Identity/*.cs")
      filters+=("FullyQualifiedName~GrpcDvc.Tests.Identity." "FullyQualifiedName~GrpcDvc.Tests.Access.") ;;
    identity-rpcs)
      # Part of identity-root: the rpc layer alone (the services and their mapping), without the options and
      # registration whose every mutant runs the whole filter (131 mutants against identity-root's 261).
      globs+=("**/GrpcDvc.Server/Identity/IdentityGrpcService*.cs" "**/GrpcDvc.Server/Identity/DevelopmentGrpcService.cs"
              "**/GrpcDvc.Server/Identity/IdentityMapping.cs")
      filters+=("FullyQualifiedName~GrpcDvc.Tests.Identity.") ;;
    identity-options)
      # Part of identity-root: the options, their validation and the registration that applies them, with
      # UtcDateTime. Their mutants are covered by every test that starts a host (defaults, registrations,
      # static converters), so under identity-root's filter each one runs every identity and access class;
      # here each runs the classes written for the options (~5 s), and a mutant only a host test elsewhere
      # would catch counts as survived.
      globs+=("**/GrpcDvc.Server/Identity/IdentityOptions.cs" "**/GrpcDvc.Server/Identity/IdentityRegistration.cs"
              "**/GrpcDvc.Server/Identity/UtcDateTime.cs")
      # IdentitySecrets, not IdentitySecretsTests: that class is abstract, and its tests run (and are named) as
      # IdentitySecretsOnSqliteTests and IdentitySecretsOnPostgresTests.
      for c in IdentityOptionsTests IdentityRegistrationTests IdentitySecrets SmsOutboxTests SmsOutboxGatewayTests DevelopmentRpcTests \
               DemoOfficialSeedingTests OtpServiceRuleTests Assertions.TrustedIssuersTests Assertions.DevelopmentIssuerTests; do
        filters+=("FullyQualifiedName~GrpcDvc.Tests.Identity.$c")
      done ;;
    identity-errors)
      # Part of identity-root: failures and their mapping to gRPC statuses. Every use case's refusal passes
      # through them, so under identity's whole filter each mutant would run hundreds of tests; here it runs
      # the classes written for the mapping and the rpc classes that call the services directly.
      globs+=("**/GrpcDvc.Server/Identity/IdentityErrors.cs" "**/GrpcDvc.Server/Identity/IdentityFailure.cs"
              "**/GrpcDvc.Server/Identity/IdentityReasons.cs")
      for c in IdentityStatusTests IdentityRpcTests DevelopmentRpcTests; do
        filters+=("FullyQualifiedName~GrpcDvc.Tests.Identity.$c")
      done ;;
    identity|identity-rules)
      if [ "$area" = identity ]; then
        globs+=("**/GrpcDvc.Server/Identity/**/*.cs")
      else
        # The folders that hold identity's rules (sign-in, tokens, secrets, officials), for when
        # the whole of identity (the biggest area) does not fit the time there is.
        globs+=("**/GrpcDvc.Server/Identity/SignIn/**/*.cs" "**/GrpcDvc.Server/Identity/Tokens/**/*.cs"
                "**/GrpcDvc.Server/Identity/Secrets/**/*.cs" "**/GrpcDvc.Server/Identity/Officials/**/*.cs")
      fi
      filters+=("FullyQualifiedName~GrpcDvc.Tests.Identity." "FullyQualifiedName~GrpcDvc.Tests.Access.") ;;
    registry)
      globs+=("**/GrpcDvc.Server/Population/Registry/**/*.cs")
      # The registry's read rules are exercised through the population rpcs; the generator's
      # tests (Population.Generation) write data, they do not read it through the rules.
      filters+=("FullyQualifiedName~GrpcDvc.Tests.Population.&FullyQualifiedName!~GrpcDvc.Tests.Population.Generation.") ;;
    idnumber)
      globs+=("**/GrpcDvc.Server/Population/PersonalIdNumber.cs" "**/GrpcDvc.Server/Population/OldIdNumber.cs"
              "**/GrpcDvc.Server/Population/IdProvinceCodes.cs" "**/GrpcDvc.Server/Identity/Accounts/CitizenIdNumber.cs")
      filters+=("FullyQualifiedName~GrpcDvc.Tests.Population.IdNumberRuleTests" "FullyQualifiedName~GrpcDvc.Tests.Identity.CitizenIdNumberTests"
                "FullyQualifiedName~GrpcDvc.Tests.Population.Generation.PopulationGeneratorTests") ;;
    *) echo "run.sh: unknown area '$area' (access identity identity-rules identity/<Folder> identity-root identity-rpcs identity-options identity-errors registry idnumber)" >&2; exit 2 ;;
  esac
done
# Several areas in one run take any of their filters.
filter=""
for f in "${filters[@]}"; do
  case "$f" in *"&"*) f="($f)" ;; esac
  filter="${filter:+$filter|}$f"
done
# FILTER= replaces the areas' filters with a narrower one of your own, for an area whose mutants each run
# hundreds of tests under its own filter: fewer tests can only kill fewer mutants, so the score stays a floor.
[ -n "${FILTER:-}" ] && filter=$FILTER
# PROVIDERS=sqlite leaves out the PostgreSQL twins of the storage-backed classes (*OnPostgresTests), for
# half the time when the machine is busy: the rules run the same code on both providers, and a mutant
# only PostgreSQL's own SQL path would catch then counts as survived (the score can only drop).
if [ "${PROVIDERS:-}" = sqlite ]; then
  filter="($filter)&FullyQualifiedName!~OnPostgres"
fi

cd "$repo"
dotnet tool restore >/dev/null
work=$(mktemp -d /tmp/grpcdvc-mutation-XXXXXX)
trap 'rm -rf "$work"' EXIT

# The config lists what to mutate and what not. Not mutated, as holding no rule: logging, generated
# code, DI registration that only wires services (Access/AccessRegistration.cs; IdentityRegistration.cs
# stays, it validates options), and the EF entity records whose only code is the table mapping
# (their mutants are column names and indexes, which the schema test, not a rule test, holds).
python3 - "$work/stryker-config.json" "$filter" "${globs[@]}" <<'PY'
import json, sys
out, test_filter, globs = sys.argv[1], sys.argv[2], sys.argv[3:]
not_rules = ["Access/AccessRegistration.cs", "Identity/Secrets/DataProtectionKeyMapping.cs",
             "Identity/Tokens/SigningKeyRecord.cs", "Identity/Tokens/RefreshTokenRecord.cs",
             "Identity/Registration/OtpChallengeRecord.cs", "Identity/Registration/SmsOutboxRecord.cs",
             "Identity/Accounts/CitizenAccountRecord.cs", "Identity/SignIn/SignInAuditRecord.cs",
             "Identity/SignIn/AbuseCounterRecord.cs", "Identity/Assertions/UsedAssertionRecord.cs"]
json.dump({"stryker-config": {
    "project": "GrpcDvc.Server.csproj",
    "configuration": "Release",
    "mutate": globs + ["!**/*Log*.cs", "!**/obj/**"] + ["!**/GrpcDvc.Server/" + f for f in not_rules],
    "coverage-analysis": "perTest",
    "test-case-filter": test_filter,
    # "dots" prints one character per mutant as it is tested (. killed, S survived, T timeout): the
    # progress bar draws only on a terminal, and a run under nohup would otherwise show nothing for hours.
    "reporters": ["dots", "json"],
    "thresholds": {"high": 85, "low": 70, "break": 0},
    "concurrency": 1,
    "ignore-methods": ["*Log.*", "*.LogInformation", "*.LogWarning", "*.LogError", "*.LogDebug"],
}}, open(out, "w"), indent=2)
PY

since=()
[ -n "${SINCE:-}" ] && since=(--since:"$SINCE")
started=$(date +%s)
# From the test project's folder: at the repository root Stryker would take the solution and mutate every project.
(cd "$repo/tests/GrpcDvc.Tests" && nice -n "${NICE:-10}" dotnet stryker --config-file "$work/stryker-config.json" --output "$work/out" "${since[@]}")
elapsed=$(( $(date +%s) - started ))

json=$(find "$work/out" -name mutation-report.json | head -1)
mkdir -p "$reports"
# A run under FILTER says so in its name: its score is a floor below the area's own, not the area's latest figure.
report="$reports/mutation-$(IFS=-; echo "${areas[*]}" | tr / _)${PROVIDERS:+-$PROVIDERS}${FILTER:+-filtered}-$(date -u +%Y-%m-%d-%H%M).md"
python3 "$here/report.py" "$json" "$repo/server/GrpcDvc.Server" "${areas[*]}" "$elapsed" "$(cut -d' ' -f1-3 /proc/loadavg)" "$filter" > "$report"
sed -n '1,/^## Survivors/p' "$report"
echo "run.sh: report written to ${report#$repo/}"
