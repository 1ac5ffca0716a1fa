#!/usr/bin/env bash
# Runs "$@" with a throwaway PostgreSQL cluster on loopback: initdb into a temporary directory, pg_ctl start on a free
# port as a non-root user, BULWARK_TEST_POSTGRES_URL exported to the command, the cluster stopped and deleted at exit.
# Installs Debian's postgresql when it is missing and we are root.
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "with-postgres: PostgreSQL is not installed and we are not root; install Debian's postgresql" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
fi

# PostgreSQL refuses to run as root: run the cluster as the postgres user then
as=()
owner=$(id -un)
if [ "$(id -u)" = 0 ]; then
  owner=postgres
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  as=(runuser -u postgres --)
fi

dir=$(mktemp -d /tmp/bulwark-pg.XXXXXX)
chown "$owner" "$dir"
# a free loopback port: one nothing answers on (bash's /dev/tcp, so no other tool is needed)
for _ in $(seq 1 50); do
  port=$(( 20000 + RANDOM % 40000 ))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    break
  fi
done

stop() {
  "${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT

"${as[@]}" "$bindir/initdb" -D "$dir/data" -U bulwark --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
"${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-h 127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=40" start >/dev/null \
  || { cat "$dir/server.log" >&2; exit 1; }

export BULWARK_TEST_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$port/postgres?user=bulwark"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($BULWARK_TEST_POSTGRES_URL)"
"$@"
