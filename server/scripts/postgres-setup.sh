#!/usr/bin/env bash
# Creates the role `dvc` and the database `dvc` (owned by it) that the server uses on PostgreSQL, and
# prints the connection string and the command that starts the server on them. Safe to run again: what
# exists is kept (a role's password changes only when --password is given).
#
#   server/scripts/postgres-setup.sh [--password PW] [--host HOST] [--port PORT] [--superuser ROLE]
#
#   --password PW     the role's password: letters, digits and . _ ~ + - (it goes into the connection
#                     string as is); default: a new random one for a new role, printed once
#   --host, --port    where the cluster listens, for the connection string (default 127.0.0.1, 5432);
#                     psql uses them too when given
#   --superuser ROLE  connect as this role from the current OS user (a cluster you started yourself with
#                     trust authentication); default: run psql as the OS user `postgres`, as Debian's
#                     `postgresql` package sets up the local cluster (peer authentication)
set -euo pipefail
usage() { sed -n '2,/^set /p' "$self" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
self=$(readlink -f "$0")
cd /  # psql run as `postgres` may not be allowed into the caller's directory

password="" host="" port=5432 superuser=""
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || usage
  case $1 in
    --password) password=$2 ;;
    --host) host=$2 ;;
    --port) port=$2 ;;
    --superuser) superuser=$2 ;;
    *) usage ;;
  esac
  shift 2
done
if [[ -n $password && ! $password =~ ^[A-Za-z0-9._~+-]+$ ]]; then
  echo "postgres-setup: --password may hold only letters, digits and . _ ~ + -" >&2
  exit 2
fi
command -v psql >/dev/null || { echo "postgres-setup: no psql; install PostgreSQL: sudo apt-get install postgresql" >&2; exit 1; }

connect=(-p "$port")
[ -n "$host" ] && connect+=(-h "$host")
if [ -n "$superuser" ]; then
  as_superuser=(env)
  connect+=(-U "$superuser")
elif [ "$(id -u)" -eq 0 ]; then
  as_superuser=(runuser -u postgres --)
else
  as_superuser=(sudo -u postgres)
fi
# SQL comes on stdin, so a password never shows in a process list.
sql() { "${as_superuser[@]}" psql -X -q -t -A -v ON_ERROR_STOP=1 "${connect[@]}" -d postgres; }

if [ "$(echo "SELECT count(*) FROM pg_roles WHERE rolname = 'dvc'" | sql)" = 0 ]; then
  generated=""
  [ -n "$password" ] || { password=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_'); generated=1; }
  echo "CREATE ROLE dvc LOGIN PASSWORD '$password'" | sql
  if [ -n "$generated" ]; then
    echo "role dvc: created, with the password $password (shown this once: keep it)"
  else
    echo "role dvc: created, with the given password"
  fi
elif [ -n "$password" ]; then
  echo "ALTER ROLE dvc LOGIN PASSWORD '$password'" | sql
  echo "role dvc: exists, password set to the given one"
else
  echo "role dvc: exists, password unchanged (--password sets a new one)"
fi

if [ "$(echo "SELECT count(*) FROM pg_database WHERE datname = 'dvc'" | sql)" = 0 ]; then
  echo "CREATE DATABASE dvc OWNER dvc TEMPLATE template0 ENCODING 'UTF8'" | sql
  echo "database dvc: created, owned by dvc"
else
  echo "database dvc: exists, owned by $(echo "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'dvc'" | sql)"
fi

connection="Host=${host:-127.0.0.1};Port=$port;Username=dvc;Password=${password:-…};Database=dvc"
cat <<TEXT

Connection string:
  $connection

Start the server on it (from the repository root):
  dotnet run --project server/GrpcDvc.Server -- \\
    --Dvc:Database:Provider=postgres \\
    --Dvc:Database:ConnectionString="$connection"
TEXT
