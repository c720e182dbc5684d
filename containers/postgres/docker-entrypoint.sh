#!/usr/bin/env bash
# Data Layer Lab's PostgreSQL entrypoint, written for this project. It offers what the official
# postgres image's entrypoint offers, so the lab (and a learner) can use either image:
#   POSTGRES_PASSWORD   the superuser's password (required, unless POSTGRES_HOST_AUTH_METHOD=trust)
#   POSTGRES_USER       the superuser (default postgres)
#   POSTGRES_DB         a database to create (default: the superuser's name)
#   POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD (default scram-sha-256), PGDATA
#   /docker-entrypoint-initdb.d/*.sh, *.sql, *.sql.gz   run once, on a new data directory
#   arguments: "postgres ..." or "-c ..." start the server; any other command runs as given.
# On an empty PGDATA it initialises on a temporary server that listens on the Unix socket only
# (so nobody connects to a half-made database), stops it and then starts the real one: a first
# start logs "ready to accept connections" twice, later starts once. The server runs as PID 1
# (exec), so the container's stop signal (SIGINT, a fast shutdown) reaches the postmaster.
set -Eeuo pipefail

log() { echo "entrypoint: $*"; }

if [[ $# -eq 0 || "$1" == -* ]]; then
  set -- postgres "$@"
fi
if [[ "$1" != postgres ]]; then
  exec "$@"
fi

# As root: give the data directory and the socket directory to postgres, then run this again as postgres.
if [[ "$(id -u)" == 0 ]]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  chmod 2775 /var/run/postgresql
  exec gosu postgres "${BASH_SOURCE[0]}" "$@"
fi

run_init_files() {
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    [[ -e "$f" ]] || continue
    case "$f" in
      *.sh)
        # executable scripts run on their own; others are sourced, so they can use this script's functions
        if [[ -x "$f" ]]; then log "running $f"; "$f"; else log "sourcing $f"; . "$f"; fi ;;
      *.sql) log "running $f"; psql_init -f "$f" ;;
      *.sql.gz) log "running $f"; gunzip -c "$f" | psql_init ;;
      *) log "ignoring $f" ;;
    esac
  done
}

psql_init() {
  psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" "$@"
}

initialise() {
  local auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
  if [[ -z "${POSTGRES_PASSWORD:-}" && "$auth" != trust ]]; then
    echo "entrypoint: the data directory is empty and POSTGRES_PASSWORD is not set." >&2
    echo "  Set it (docker run -e POSTGRES_PASSWORD=...), or allow every connection without one with" >&2
    echo "  POSTGRES_HOST_AUTH_METHOD=trust (only on a machine nobody else reaches)." >&2
    exit 1
  fi
  log "initialising $PGDATA for $POSTGRES_USER"
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of initdb options
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "${POSTGRES_PASSWORD:-}") -D "$PGDATA" \
    ${POSTGRES_INITDB_ARGS:-}
  printf '\n# entrypoint: clients on the network log in with %s\nhost all all all %s\n' "$auth" "$auth" >>"$PGDATA/pg_hba.conf"
  printf "\n# entrypoint: listen on the container's network (the host decides what reaches it)\nlisten_addresses = '*'\n" \
    >>"$PGDATA/postgresql.conf"

  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
  if [[ "$POSTGRES_DB" != postgres ]]; then
    POSTGRES_DB=postgres psql_init --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
  fi
  run_init_files
  pg_ctl -D "$PGDATA" -m fast -w stop
  log "initialised; starting PostgreSQL"
}

export POSTGRES_USER="${POSTGRES_USER:-postgres}"
export POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
export PGPASSWORD="${POSTGRES_PASSWORD:-}"
if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  initialise
fi
unset PGPASSWORD
exec "$@"
