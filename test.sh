#!/usr/bin/env bash
# Runs every GrpcDvc test on a fresh Debian 12 machine with the .NET 10 SDK.
# Installs what the tests need from Debian's packages when it is missing (as root, or with sudo):
#   postgresql     - PostgreSQL tests start throwaway clusters with initdb/pg_ctl
#   python3-grpcio - the real-peer tests call the server with Python grpcio
#   protobuf-compiler, protobuf-compiler-grpc, libprotobuf-dev - protoc, gRPC's Python plugin and the
#                    well-known types: clients/python/run.sh generates the Python example's code with them
#   nodejs, npm    - the real-peer tests call the server with @grpc/grpc-js (npm ci from the lock file)
#   grpc-proto     - the official interop protos (grpc/testing/*.proto) the test project compiles
#   ruby-grpc      - the official interop client (and server) of gRPC's Ruby implementation
#   chromium       - the browser test drives it with Playwright (its driver comes from NuGet)
#   fonts-dejavu-core - the appointment slip (PDF) is drawn in DejaVu Sans, which covers Vietnamese
set -euo pipefail
cd "$(dirname "$0")"

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
/usr/bin/python3 -c 'import grpc, google.protobuf' >/dev/null 2>&1 || missing+=(python3-grpcio python3-protobuf)
{ command -v protoc && [ -x /usr/bin/grpc_python_plugin ] && [ -f /usr/include/google/protobuf/descriptor.proto ]; } \
  >/dev/null 2>&1 || missing+=(protobuf-compiler protobuf-compiler-grpc libprotobuf-dev)
{ command -v node && command -v npm; } >/dev/null 2>&1 || missing+=(nodejs npm)
[ -f /usr/share/grpc-proto/grpc/testing/test.proto ] || missing+=(grpc-proto)
ruby -e 'exit File.exist?(Gem::Specification.find_by_name("grpc").full_gem_path + "/src/ruby/pb/test/client.rb")' \
  >/dev/null 2>&1 || missing+=(ruby ruby-grpc)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || missing+=(fonts-dejavu-core)

if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

protos/check.sh          # the contract portals build against: buf lint (STANDARD) and buf breaking (FILE) vs HEAD~1
clients/portal/build.sh  # the sample portal the browser test opens: npm ci, protobuf-ts code generation, esbuild

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test GrpcDvc.sln -c Release --nologo 2>&1 | tee "$log" || status=$?

# One plain closing line for CI: "tests: N passed, N failed".
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "tests: ${passed} passed, ${failed} failed"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  exit 1
fi
exit "$status"
