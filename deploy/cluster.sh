#!/usr/bin/env bash
# The multi-server set-up on loopback: PostgreSQL with PostGIS, N app processes and nginx in front.
#
#   deploy/cluster.sh start    start everything (or ./run.sh cluster); prints the address
#   deploy/cluster.sh status   health of each app process and of nginx
#   deploy/cluster.sh stop     stop everything it started
#   deploy/cluster.sh config   print the nginx configuration start writes
#
# For tests and for trying it out: the database trusts loopback connections and everything
# lives in CLUSTER_DIR. docs/deploy.md describes a real deployment.
#
# Environment (defaults in brackets):
#   CLUSTER_DIR        where the database, logs and pid files go [${TMPDIR:-/tmp}/cmdmap-cluster]
#   CLUSTER_PG_PORT    PostgreSQL port on 127.0.0.1 [5433]
#   CLUSTER_APP_PORTS  the app processes' ports, one process each ["8601 8602"]
#   CLUSTER_HTTP_PORT  nginx's port, the one address for browsers [8600]
#   CLUSTER_DEBUG      1: nginx says which app server answered (X-Cmdmap-Upstream), for tests [off]
#   CMDMAP_*           every app setting (README) is passed on to the app processes;
#                      CMDMAP_DATABASE_URL is set to the cluster's database
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DIR=${CLUSTER_DIR:-${TMPDIR:-/tmp}/cmdmap-cluster}
PG_PORT=${CLUSTER_PG_PORT:-5433}
APP_PORTS=${CLUSTER_APP_PORTS:-"8601 8602"}
HTTP_PORT=${CLUSTER_HTTP_PORT:-8600}
PYTHON=${PYTHON:-$ROOT/.venv/bin/python}
DB=cmdmap
URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/$DB"

pg_bin() {
    # the newest Debian PostgreSQL that has PostGIS beside it
    local bin version
    for bin in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
        version=$(basename "$(dirname "$bin")")
        if [ -e "/usr/share/postgresql/$version/extension/postgis.control" ]; then echo "$bin"; return; fi
    done
    echo "no PostgreSQL with PostGIS: apt-get install postgresql postgresql-postgis (./run.sh cluster does)" >&2
    exit 1
}

# initdb refuses root: as root the database runs as Debian's postgres user
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

healthy() {
    "$PYTHON" - "$1" <<'PY'
import sys, urllib.request
try:
    with urllib.request.urlopen(sys.argv[1] + "/_stcore/health", timeout=2) as r:
        sys.exit(0 if r.read().strip() == b"ok" else 1)
except Exception:
    sys.exit(1)
PY
}

wait_healthy() {
    local url=$1 log=$2 i
    for i in $(seq 1 240); do
        if healthy "$url"; then return 0; fi
        sleep 0.5
    done
    echo "not healthy after 120 s: $url; see $log" >&2
    tail -n 30 "$log" >&2 || true
    return 1
}

start_db() {
    local bin
    bin=$(pg_bin)
    mkdir -p "$DIR"
    chmod 755 "$DIR"
    if [ ! -s "$DIR/pg/PG_VERSION" ]; then
        mkdir -p "$DIR/pg" "$DIR/pg-run"
        if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$DIR/pg" "$DIR/pg-run"; fi
        as_pg "$bin/initdb" -D "$DIR/pg" -U postgres -A trust -E UTF8 --no-locale >"$DIR/initdb.log"
    fi
    if ! as_pg "$bin/pg_ctl" -D "$DIR/pg" status >/dev/null 2>&1; then
        as_pg "$bin/pg_ctl" -D "$DIR/pg" -l "$DIR/pg-run/postgresql.log" -w \
            -o "-p $PG_PORT -k $DIR/pg-run -c listen_addresses=127.0.0.1" start >/dev/null
    fi
    local psql=("$bin/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt)
    if [ -z "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
        "${psql[@]}" -d postgres -c "CREATE DATABASE $DB"
    fi
    "${psql[@]}" -d "$DB" -c "CREATE EXTENSION IF NOT EXISTS postgis"
}

start_apps() {
    # migrate and fill the store once, before several processes open it
    CMDMAP_DATABASE_URL=$URL "$PYTHON" -m geo history >/dev/null
    local port
    for port in $APP_PORTS; do
        if [ -s "$DIR/app-$port.pid" ] && kill -0 "$(cat "$DIR/app-$port.pid")" 2>/dev/null; then continue; fi
        CMDMAP_DATABASE_URL=$URL STREAMLIT_BROWSER_GATHER_USAGE_STATS=false setsid nohup "$PYTHON" -m streamlit run serve.py \
            --server.port "$port" --server.address 127.0.0.1 --server.headless true \
            --server.fileWatcherType none >"$DIR/app-$port.log" 2>&1 </dev/null &
        echo $! >"$DIR/app-$port.pid"
    done
    for port in $APP_PORTS; do wait_healthy "http://127.0.0.1:$port" "$DIR/app-$port.log"; done
}

nginx_config() {
    local servers="" port
    for port in $APP_PORTS; do servers+="        server 127.0.0.1:$port max_fails=1 fail_timeout=10s;"$'\n'; done
    SERVERS=$servers DEBUG=${CLUSTER_DEBUG:-0} "$PYTHON" - "$ROOT/deploy/nginx.conf.in" "$DIR" "127.0.0.1:$HTTP_PORT" <<'PY'
import os, sys
source, folder, listen = sys.argv[1:]
text = open(source).read().replace("@DIR@", folder).replace("@LISTEN@", listen)
text = text.replace("#@DEBUG@ ", "" if os.environ["DEBUG"] == "1" else "# ")
sys.stdout.write(text.replace("@UPSTREAMS@\n", os.environ["SERVERS"]))
PY
}

start_nginx() {
    nginx_config >"$DIR/nginx.conf"
    local nginx
    nginx=$(command -v nginx || echo /usr/sbin/nginx)
    if [ -s "$DIR/nginx.pid" ] && kill -0 "$(cat "$DIR/nginx.pid")" 2>/dev/null; then
        "$nginx" -p "$DIR" -e "$DIR/nginx-error.log" -c "$DIR/nginx.conf" -s reload
    else
        "$nginx" -p "$DIR" -e "$DIR/nginx-error.log" -c "$DIR/nginx.conf"
    fi
    wait_healthy "http://127.0.0.1:$HTTP_PORT" "$DIR/nginx-error.log"
}

stop_all() {
    local port pid bin
    if [ -s "$DIR/nginx.pid" ]; then kill "$(cat "$DIR/nginx.pid")" 2>/dev/null || true; rm -f "$DIR/nginx.pid"; fi
    for pid in "$DIR"/app-*.pid; do
        [ -e "$pid" ] || continue
        kill -- "-$(cat "$pid")" 2>/dev/null || kill "$(cat "$pid")" 2>/dev/null || true
        rm -f "$pid"
    done
    if [ -s "$DIR/pg/PG_VERSION" ]; then
        bin=$(pg_bin)
        as_pg "$bin/pg_ctl" -D "$DIR/pg" -m fast -w stop >/dev/null 2>&1 || true
    fi
}

status() {
    local port code=0
    for port in $APP_PORTS; do
        if healthy "http://127.0.0.1:$port"; then echo "app   127.0.0.1:$port ok"; else echo "app   127.0.0.1:$port DOWN"; code=1; fi
    done
    if healthy "http://127.0.0.1:$HTTP_PORT"; then echo "nginx 127.0.0.1:$HTTP_PORT ok"; else echo "nginx 127.0.0.1:$HTTP_PORT DOWN"; code=1; fi
    return $code
}

case "${1:-start}" in
    start)
        start_db
        start_apps
        start_nginx
        echo "CMDMAP_DATABASE_URL=$URL" >"$DIR/env"
        echo "open http://127.0.0.1:$HTTP_PORT (app processes on ports $APP_PORTS, PostgreSQL on $PG_PORT)"
        echo "the store: CMDMAP_DATABASE_URL=$URL   stop with: $0 stop"
        ;;
    stop) stop_all ;;
    status) status ;;
    config) nginx_config ;;
    *) echo "usage: $0 start|status|stop|config" >&2; exit 2 ;;
esac
