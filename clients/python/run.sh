#!/usr/bin/env bash
# Runs the Python example (example.py) against a GrpcDvc server.
#   clients/python/run.sh [SERVER]      SERVER is host:port of the gRPC endpoint, default 127.0.0.1:5080
#
# It uses Debian's Python, /usr/bin/python3: python3-grpcio installs for that one, not for a python3
# that comes earlier on PATH (pyenv, a venv). The code is generated on every run, into generated/
# (git-ignored), by Debian's protoc and gRPC's Python plugin, which match the protobuf and grpcio
# runtimes Debian ships (Debian 12's python3-grpc-tools carries protoc 3.5.1, too old for
# google/rpc/error_details.proto):
#   protos/dvc/**/*.proto          messages and service stubs
#   google/rpc/{status,error_details}.proto   rich error details, from the NuGet package
#                                  Google.Api.CommonProtos that the server builds with (the version
#                                  pinned in Directory.Packages.props)
#   google/protobuf/*.proto        the well-known types, from libprotobuf-dev (protoc finds them
#                                  in /usr/include by itself)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
server=${1:-127.0.0.1:5080}
python=/usr/bin/python3

missing=()
[ -x "$python" ] && "$python" -c 'import grpc, google.protobuf' 2>/dev/null || missing+=(python3-grpcio)
command -v protoc >/dev/null || missing+=(protobuf-compiler)
[ -x /usr/bin/grpc_python_plugin ] || missing+=(protobuf-compiler-grpc)
[ -f /usr/include/google/protobuf/descriptor.proto ] || missing+=(libprotobuf-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "run.sh: missing Debian packages; install them with:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

version=$(sed -n 's/.*Include="Google.Api.CommonProtos" Version="\([^"]*\)".*/\1/p' "$root/Directory.Packages.props")
common=${NUGET_PACKAGES:-$HOME/.nuget/packages}/google.api.commonprotos/$version/content/protos
if [ ! -f "$common/google/rpc/error_details.proto" ]; then
  echo "run.sh: restoring the server's NuGet packages for google/rpc/*.proto (Google.Api.CommonProtos $version)"
  dotnet restore "$root/server/GrpcDvc.Server" --verbosity quiet
fi

out=$here/generated
rm -rf "$out"
mkdir -p "$out"
cd "$root/protos"
mapfile -t contract < <(find dvc -name '*.proto' | sort)
protoc -I . -I "$common" --python_out="$out" \
  --grpc_python_out="$out" --plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin "${contract[@]}"
protoc -I "$common" --python_out="$out" google/rpc/status.proto google/rpc/error_details.proto

exec "$python" "$here/example.py" "$server"
