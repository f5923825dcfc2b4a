#!/usr/bin/env bash
# The national topology on one machine (deploy/OPERATIONS.md, "Nhiều máy"): nginx in front of
# two gunicorn nodes, PostgreSQL primary + streaming replica behind PgBouncer, Redis primary +
# replica watched by three Sentinels, one Celery worker per queue and one beat, an SMTP sink.
#
#   deploy/cluster/cluster.sh start        everything, with a fresh database and the demo data
#   deploy/cluster/cluster.sh stop         everything down, PostgreSQL clusters dropped, data gone
#   deploy/cluster/cluster.sh apps-stop | apps-start     only the app processes (web, workers, beat)
#   deploy/cluster/cluster.sh web-start N | web-kill N   one web node (1 or 2)
#   deploy/cluster/cluster.sh worker-start Q | worker-kill Q   the worker of queue Q
#   deploy/cluster/cluster.sh redis-kill | redis-start   the Redis that Sentinel names primary / the stopped one
#   deploy/cluster/cluster.sh sink-stop | sink-start     the SMTP sink
#   deploy/cluster/cluster.sh reset-db     apps stopped, database recreated, migrated, demo data
#   deploy/cluster/cluster.sh env          the app environment (for manage.py)
#
# Own ports only (never the machine's PostgreSQL 5432 or Redis 6379); data in CLUSTER_DIR.
# CHIBO_E2E_CLOCK_OFFSET (tests only): apps-start runs web and workers with a moved clock.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLUSTER_DIR="${CLUSTER_DIR:-/tmp/chibo-cluster}"
PY="${PY:-$ROOT/.venv/bin/python}"
PG_VERSION="${PG_VERSION:-$(ls /usr/lib/postgresql | sort -n | tail -1)}"
PG_PRIMARY_PORT="${PG_PRIMARY_PORT:-5433}"
PG_REPLICA_PORT="${PG_REPLICA_PORT:-5434}"
PGBOUNCER_PORT="${PGBOUNCER_PORT:-6432}"
REDIS_PORTS=(6380 6381)
SENTINEL_PORTS=(26379 26380 26381)
NGINX_PORT="${NGINX_PORT:-8080}"
WEB_PORTS=(8101 8102)
WEB_WORKERS="${WEB_WORKERS:-2}"
SMTP_PORT="${CLUSTER_SMTP_PORT:-2526}"
QUEUES=(email documents reports chibo)
DB=chibo
PG_PRIMARY="chibo_primary"
PG_REPLICA="chibo_replica"
PIDS="$CLUSTER_DIR/run"
LOGS="$CLUSTER_DIR/log"

say() { echo "cluster: $*" >&2; }

app_env() {
    cat <<EOF
DEBUG=False
SECRET_KEY=cluster-$(printf 'k%.0s' {1..60})
ALLOWED_HOSTS=127.0.0.1,localhost
DATABASE_URL=postgres://postgres@127.0.0.1:$PGBOUNCER_PORT/$DB
DATABASE_REPLICA_URLS=postgres://postgres@127.0.0.1:$PGBOUNCER_PORT/${DB}_replica
DATABASE_POOLER=pgbouncer
CONN_MAX_AGE=60
REDIS_URL=sentinel://127.0.0.1:${SENTINEL_PORTS[0]}/0;sentinel://127.0.0.1:${SENTINEL_PORTS[1]}/0;sentinel://127.0.0.1:${SENTINEL_PORTS[2]}/0
REDIS_SENTINEL_MASTER=chibo
EMAIL_URL=smtp://127.0.0.1:$SMTP_PORT
SITE_URL=http://127.0.0.1:$NGINX_PORT
STATIC_ROOT=$CLUSTER_DIR/static
MEDIA_ROOT=$CLUSTER_DIR/media
SECURE_SSL_REDIRECT=False
SECURE_COOKIES=False
SECURE_HSTS_SECONDS=0
CHIBO_PROXY_COUNT=1
AXES_ENABLED=False
LOG_LEVEL=INFO
DATABASE_ROUTER_LOG_LEVEL=DEBUG
NOTIFICATIONS_SWEEP_SECONDS=5
NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS=15
CELERY_VISIBILITY_TIMEOUT=30
EOF
}

# Runs a command with the app environment (one machine stands for several: same variables).
with_env() {
    local line
    local -a vars=()
    while IFS= read -r line; do vars+=("$line"); done < <(app_env)
    env "${vars[@]}" "$@"
}

# spawn (below) with the app environment.
app_spawn() {
    local name="$1" line
    shift
    local -a vars=()
    while IFS= read -r line; do vars+=("$line"); done < <(app_env)
    spawn "$name" env "${vars[@]}" "$@"
}

# Direct to the primary, not through PgBouncer: migrations and the seed.
manage_direct() {
    with_env env DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PRIMARY_PORT/$DB" DATABASE_POOLER= \
        DATABASE_REPLICA_URLS= "$PY" "$ROOT/manage.py" "$@"
}

psql_at() { psql -h 127.0.0.1 -p "$1" -U postgres -d "${2:-postgres}" -XAtq -c "$3"; }

# Starts a command in its own session (so its whole process group can be signalled) with its
# pid in $PIDS/<name>.pid and its output in $LOGS/<name>.log.
spawn() {
    local name="$1"
    shift
    setsid "$@" >>"$LOGS/$name.log" 2>&1 < /dev/null &
    echo $! >"$PIDS/$name.pid"
}

stop_pidfile() {
    local file="$1" signal="${2:-TERM}" pid
    [[ -f "$file" ]] || return 0
    pid="$(cat "$file")"
    if kill -0 "$pid" 2>/dev/null; then
        kill -"$signal" -- "-$pid" 2>/dev/null || kill -"$signal" "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}

wait_http() {
    local url="$1" what="$2"
    for _ in $(seq 1 300); do
        curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null && return 0
        sleep 0.2
    done
    say "$what did not answer at $url"
    return 1
}

# --- PostgreSQL ------------------------------------------------------------------------
pg_start() {
    install -d -o postgres -g postgres -m 700 "$CLUSTER_DIR/pg"
    for name in "$PG_PRIMARY" "$PG_REPLICA"; do
        if pg_lsclusters -h | awk '{print $2}' | grep -qx "$name"; then
            pg_dropcluster --stop "$PG_VERSION" "$name"
        fi
    done
    say "PostgreSQL primary on $PG_PRIMARY_PORT"
    pg_createcluster --user postgres --port "$PG_PRIMARY_PORT" --datadir "$CLUSTER_DIR/pg/primary" \
        --start-conf manual -o listen_addresses=localhost -o max_connections=200 \
        -o shared_buffers=128MB -o fsync=off -o full_page_writes=off \
        "$PG_VERSION" "$PG_PRIMARY" -- --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    pg_ctlcluster "$PG_VERSION" "$PG_PRIMARY" start
    say "PostgreSQL streaming replica on $PG_REPLICA_PORT (pg_basebackup)"
    pg_createcluster --user postgres --port "$PG_REPLICA_PORT" --datadir "$CLUSTER_DIR/pg/replica" \
        --start-conf manual -o listen_addresses=localhost -o max_connections=200 \
        -o hot_standby_feedback=on -o fsync=off \
        "$PG_VERSION" "$PG_REPLICA" -- --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -rf "${CLUSTER_DIR:?}/pg/replica"
    runuser -u postgres -- pg_basebackup -h 127.0.0.1 -p "$PG_PRIMARY_PORT" -U postgres \
        -D "$CLUSTER_DIR/pg/replica" -R -X stream -c fast
    pg_ctlcluster "$PG_VERSION" "$PG_REPLICA" start
    [[ "$(psql_at "$PG_REPLICA_PORT" postgres 'SELECT pg_is_in_recovery()')" == "t" ]]
}

pg_stop() {
    for name in "$PG_REPLICA" "$PG_PRIMARY"; do
        if pg_lsclusters -h 2>/dev/null | awk '{print $2}' | grep -qx "$name"; then
            pg_dropcluster --stop "$PG_VERSION" "$name"
        fi
    done
}

# Waits until the replica has replayed everything the primary has written so far.
replica_catch_up() {
    local lsn
    lsn="$(psql_at "$PG_PRIMARY_PORT" postgres 'SELECT pg_current_wal_lsn()')"
    for _ in $(seq 1 600); do
        [[ "$(psql_at "$PG_REPLICA_PORT" postgres "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" == "t" ]] && return 0
        sleep 0.1
    done
    say "the replica did not catch up"
    return 1
}

# --- PgBouncer (deploy/pgbouncer/pgbouncer.ini, with this topology's hosts and files) --------
pgbouncer_start() {
    local dir="$CLUSTER_DIR/pgbouncer"
    install -d -o postgres -g postgres "$dir"
    sed -e "s|^chibo = .*|chibo = host=127.0.0.1 port=$PG_PRIMARY_PORT dbname=$DB|" \
        -e "s|^;chibo_replica = .*|chibo_replica = host=127.0.0.1 port=$PG_REPLICA_PORT dbname=$DB|" \
        -e "s|^listen_port = .*|listen_port = $PGBOUNCER_PORT|" \
        -e "s|^unix_socket_dir = .*|unix_socket_dir =|" \
        -e "s|^auth_type = .*|auth_type = trust|" \
        -e "s|^auth_file = .*|auth_file = $dir/userlist.txt|" \
        -e "s|^logfile = .*|logfile = $LOGS/pgbouncer.log|" \
        -e "s|^pidfile = .*|pidfile = $dir/pgbouncer.pid|" \
        "$ROOT/deploy/pgbouncer/pgbouncer.ini" >"$dir/pgbouncer.ini"
    echo '"postgres" ""' >"$dir/userlist.txt"
    touch "$LOGS/pgbouncer.log"
    chown postgres:postgres "$dir"/* "$LOGS/pgbouncer.log"
    say "PgBouncer (transaction pooling) on $PGBOUNCER_PORT"
    runuser -u postgres -- pgbouncer -d "$dir/pgbouncer.ini"
    for _ in $(seq 1 50); do
        psql_at "$PGBOUNCER_PORT" pgbouncer 'SHOW VERSION' >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    say "PgBouncer did not start"
    return 1
}

pgbouncer_stop() { stop_pidfile "$CLUSTER_DIR/pgbouncer/pgbouncer.pid"; }

# --- Redis + Sentinel ---------------------------------------------------------------------
redis_one() {
    local port="$1"
    local -a replica=()
    [[ "$port" != "${REDIS_PORTS[0]}" ]] && replica=(--replicaof 127.0.0.1 "${REDIS_PORTS[0]}")
    if [[ -f "$CLUSTER_DIR/redis/$port.rejoin" ]]; then
        # A restarted former primary joins whoever Sentinel names primary now.
        read -r host mport < <(redis-cli -p "${SENTINEL_PORTS[0]}" SENTINEL get-master-addr-by-name chibo | paste -sd' ')
        replica=(--replicaof "$host" "$mport")
        rm -f "$CLUSTER_DIR/redis/$port.rejoin"
    fi
    redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --save "" --appendonly no \
        --dir "$CLUSTER_DIR/redis" --pidfile "$PIDS/redis-$port.pid" --logfile "$LOGS/redis-$port.log" \
        "${replica[@]}"
}

redis_start() {
    install -d "$CLUSTER_DIR/redis"
    say "Redis primary ${REDIS_PORTS[0]}, replica ${REDIS_PORTS[1]}, Sentinels ${SENTINEL_PORTS[*]}"
    for port in "${REDIS_PORTS[@]}"; do redis_one "$port"; done
    for port in "${SENTINEL_PORTS[@]}"; do
        cat >"$CLUSTER_DIR/redis/sentinel-$port.conf" <<EOF
port $port
bind 127.0.0.1
daemonize yes
pidfile $PIDS/sentinel-$port.pid
logfile $LOGS/sentinel-$port.log
dir $CLUSTER_DIR/redis
sentinel monitor chibo 127.0.0.1 ${REDIS_PORTS[0]} 2
sentinel down-after-milliseconds chibo 2000
sentinel failover-timeout chibo 10000
sentinel parallel-syncs chibo 1
EOF
        redis-sentinel "$CLUSTER_DIR/redis/sentinel-$port.conf"
    done
    for _ in $(seq 1 100); do
        [[ "$(redis-cli -p "${REDIS_PORTS[1]}" INFO replication | tr -d '\r' | grep -c '^master_link_status:up')" == 1 ]] && return 0
        sleep 0.1
    done
    say "the Redis replica did not connect"
    return 1
}

redis_stop() {
    for port in "${SENTINEL_PORTS[@]}"; do stop_pidfile "$PIDS/sentinel-$port.pid"; done
    for port in "${REDIS_PORTS[@]}"; do stop_pidfile "$PIDS/redis-$port.pid"; done
}

# Kills (SIGKILL, as a crash) the Redis that the Sentinels name primary; prints its port.
redis_kill_primary() {
    local port
    port="$(redis-cli -p "${SENTINEL_PORTS[0]}" SENTINEL get-master-addr-by-name chibo | tail -1)"
    kill -KILL "$(cat "$PIDS/redis-$port.pid")"
    rm -f "$PIDS/redis-$port.pid"
    touch "$CLUSTER_DIR/redis/$port.rejoin"
    echo "$port"
}

redis_restart_stopped() {
    for port in "${REDIS_PORTS[@]}"; do
        [[ -f "$CLUSTER_DIR/redis/$port.rejoin" ]] && redis_one "$port"
    done
    return 0
}

# --- SMTP sink ----------------------------------------------------------------------------
sink_start() {
    PYTHONPATH="$ROOT/deploy/cluster" CLUSTER_SINK_LOG="$CLUSTER_DIR/mail.jsonl" \
        spawn smtp-sink "$PY" -m aiosmtpd -n -c smtp_sink.FileSink -l "127.0.0.1:$SMTP_PORT"
    for _ in $(seq 1 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null && return 0
        sleep 0.1
    done
    say "SMTP sink did not start"
    return 1
}

sink_stop() { stop_pidfile "$PIDS/smtp-sink.pid"; }

# --- App processes ------------------------------------------------------------------------
launcher() {
    if [[ -n "${CHIBO_E2E_CLOCK_OFFSET:-}" ]]; then
        echo "$PY -m tests.e2e.clock"
    else
        echo "$PY -m"
    fi
}

web_start() {
    local node="$1" port="${WEB_PORTS[$(($1 - 1))]}"
    # shellcheck disable=SC2046
    (cd "$ROOT" && app_spawn "web$node" $(launcher) gunicorn -c deploy/gunicorn.conf.py \
        -b "127.0.0.1:$port" -w "$WEB_WORKERS" --access-logfile -)
    wait_http "http://127.0.0.1:$port/dang-nhap/" "web node $node"
}

worker_start() {
    local queue="$1"
    local -a pool=()
    # A moved clock does not reach prefork's children; threads share it (tests/e2e/clock.py).
    [[ -n "${CHIBO_E2E_CLOCK_OFFSET:-}" ]] && pool=(--pool threads)
    # shellcheck disable=SC2046
    (cd "$ROOT" && app_spawn "worker-$queue" $(launcher) celery -A chibo worker -l info -Q "$queue" \
        -n "$queue@%h" -c 1 --without-gossip --without-mingle "${pool[@]}")
}

apps_start() {
    install -d "$CLUSTER_DIR/media"
    web_start 1 &
    local node1=$!
    web_start 2
    wait "$node1"
    for queue in "${QUEUES[@]}"; do worker_start "$queue"; done
    (cd "$ROOT" && app_spawn beat "$PY" -m celery -A chibo beat -l info -s "$CLUSTER_DIR/beat-schedule" --pidfile=)
    wait_http "http://127.0.0.1:$NGINX_PORT/healthz" "nginx → web"
}

apps_stop() {
    stop_pidfile "$PIDS/beat.pid"
    for queue in "${QUEUES[@]}"; do stop_pidfile "$PIDS/worker-$queue.pid"; done
    for node in 1 2; do stop_pidfile "$PIDS/web$node.pid"; done
}

# --- nginx --------------------------------------------------------------------------------
nginx_start() {
    local dir="$CLUSTER_DIR/nginx"
    install -d "$dir/tmp"
    sed -e "s|@CLUSTER_DIR@|$CLUSTER_DIR|g" -e "s|@NGINX_PORT@|$NGINX_PORT|g" \
        -e "s|@WEB1@|${WEB_PORTS[0]}|g" -e "s|@WEB2@|${WEB_PORTS[1]}|g" \
        "$ROOT/deploy/cluster/nginx.conf.in" >"$dir/nginx.conf"
    say "nginx on $NGINX_PORT → gunicorn ${WEB_PORTS[*]}"
    nginx -q -t -c "$dir/nginx.conf" -p "$dir"
    nginx -c "$dir/nginx.conf" -p "$dir"
}

nginx_stop() { stop_pidfile "$CLUSTER_DIR/nginx/nginx.pid" QUIT; }

# --- Database content ---------------------------------------------------------------------
reset_db() {
    apps_stop
    psql_at "$PGBOUNCER_PORT" pgbouncer "KILL $DB" >/dev/null 2>&1 || true
    psql_at "$PGBOUNCER_PORT" pgbouncer "KILL ${DB}_replica" >/dev/null 2>&1 || true
    psql_at "$PG_PRIMARY_PORT" postgres "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
    psql_at "$PG_PRIMARY_PORT" postgres "CREATE DATABASE $DB"
    psql_at "$PGBOUNCER_PORT" pgbouncer "RESUME $DB" >/dev/null 2>&1 || true
    psql_at "$PGBOUNCER_PORT" pgbouncer "RESUME ${DB}_replica" >/dev/null 2>&1 || true
    say "migrate + demo data (on the primary)"
    manage_direct migrate --noinput >"$LOGS/migrate.log" 2>&1
    manage_direct seed_demo --force >"$LOGS/seed.log" 2>&1
    replica_catch_up
}

collect_static() {
    install -d "$CLUSTER_DIR/static"
    with_env "$PY" "$ROOT/manage.py" collectstatic --noinput >"$LOGS/collectstatic.log" 2>&1
}

cmd_start() {
    local t0=$SECONDS
    install -d -m 755 "$CLUSTER_DIR" "$PIDS" "$LOGS"
    : >"$CLUSTER_DIR/mail.jsonl"
    pg_start
    pgbouncer_start
    redis_start
    sink_start
    collect_static &
    local collecting=$!
    reset_db
    wait "$collecting"
    nginx_start
    say "web nodes, workers (${QUEUES[*]}), beat"
    apps_start
    say "up in $((SECONDS - t0)) s: http://127.0.0.1:$NGINX_PORT (demo accounts, password chibo-demo-2026); data in $CLUSTER_DIR"
}

cmd_stop() {
    [[ -d "$PIDS" ]] && {
        apps_stop
        nginx_stop
        sink_stop
        redis_stop
        pgbouncer_stop
    }
    pg_stop
    rm -rf "${CLUSTER_DIR:?}"
    say "stopped, $CLUSTER_DIR removed"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
apps-start) apps_start ;;
apps-stop) apps_stop ;;
web-start) web_start "$2" ;;
web-kill) stop_pidfile "$PIDS/web$2.pid" KILL ;;
worker-start) worker_start "$2" ;;
worker-kill) stop_pidfile "$PIDS/worker-$2.pid" KILL ;;
redis-kill) redis_kill_primary ;;
redis-start) redis_restart_stopped ;;
sink-start) sink_start ;;
sink-stop) sink_stop ;;
reset-db) reset_db ;;
replica-catch-up) replica_catch_up ;;
env) app_env ;;
*)
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
