#!/usr/bin/env bash
# Local PostgreSQL + RabbitMQ for development, tests and CI (Debian 12, run as root).
#
#   deploy/local/services.sh start|stop|status|env
#   eval "$(deploy/local/services.sh env)"
#
# deploy/local/cluster.sh sources this file for its functions and runs several instances with them:
# the globals below name the instance a function works on, and PG_EXTRA_CONF and RABBIT_EXTRA_CONF
# add lines to the configuration files it generates.
#
# Settings (environment, all optional):
#   WEBHOOKS_PG_PORT           24432   PostgreSQL TCP port (127.0.0.1 only)
#   WEBHOOKS_RABBIT_PORT       24720   AMQP port (127.0.0.1 only)
#   WEBHOOKS_RABBIT_DIST_PORT  25720   Erlang distribution port of the broker node
#   WEBHOOKS_RABBIT_MGMT_PORT  15720   management UI/API port
#   WEBHOOKS_RABBIT_NODE       webhooks@localhost
#   WEBHOOKS_STATE_DIR         /tmp/webhooks-<hash of repo path>
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"

PG_PORT="${WEBHOOKS_PG_PORT:-24432}"
RABBIT_PORT="${WEBHOOKS_RABBIT_PORT:-24720}"
# Every port sits below Linux's range for outgoing connections (32768-60999): a port in that range
# can be taken as a client's source port while the broker or database is down, and the restart then
# fails with eaddrinuse. RabbitMQ's default distribution port (AMQP + 20000) is set explicitly for the same reason.
RABBIT_DIST_PORT="${WEBHOOKS_RABBIT_DIST_PORT:-25720}"
RABBIT_MGMT_PORT="${WEBHOOKS_RABBIT_MGMT_PORT:-15720}"
RABBIT_NODE="${WEBHOOKS_RABBIT_NODE:-webhooks@localhost}"

for _p in "$PG_PORT" "$RABBIT_PORT" "$RABBIT_DIST_PORT" "$RABBIT_MGMT_PORT"; do
    # Fail here rather than deep inside a server's startup with a cryptic error.
    if ! [[ "$_p" =~ ^[0-9]+$ ]] || ((_p < 1024 || _p > 65535)); then
        echo "[services] ERROR: invalid port '$_p' (want 1024-65535)" >&2; exit 1
    fi
done

# The services run as the `postgres` and `rabbitmq` users, which usually cannot traverse the
# checkout (e.g. under /root, mode 700). Rather than loosening permissions on the user's
# directories, the data lives in a root-owned folder they can reach, named after a hash of the
# repository path so that two clones never share data. $REPO/.local/state links to it.
# /tmp is wiped at boot on Debian (never aged while running), which is fine for throw-away dev data.
REPO_HASH="$(printf '%s' "$REPO" | sha256sum | cut -c1-12)"
STATE="${WEBHOOKS_STATE_DIR:-/tmp/webhooks-$REPO_HASH}"

PG_DIR="$STATE/pg"
PG_DATA="$PG_DIR/data"
PG_RUN="$PG_DIR/run"          # unix socket + lock file; private so instances don't share /var/run/postgresql
PG_LOG="$PG_DIR/log/postgres.log"

RABBIT_DIR="$STATE/rabbit"
RABBIT_HOME="$RABBIT_DIR/home"  # HOME of the broker and of its CLI: holds this instance's Erlang cookie
RABBIT_PIDFILE="$RABBIT_DIR/run/rabbitmq.pid"
RABBIT_STARTUP_LOG="$RABBIT_DIR/log/startup.log"
RABBITMQCTL="$STATE/bin/rabbitmqctl"  # generated; binds rabbitmqctl to this node and cookie

RABBIT_LIB_BIN=/usr/lib/rabbitmq/bin
SYS_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# Single-quote for sh, for generated scripts and `env` output.
shq() { local q="'\\''"; printf "'%s'" "${1//\'/$q}"; }

log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

require_root() {
    # runuser/chown need root; CI and dev machines run as root.
    [[ "$(id -u)" == 0 ]] || die "must run as root (uses runuser to drop to postgres/rabbitmq)"
}

# ---------------------------------------------------------------------------- packages

APT_UPDATED=0
apt_install() {
    if [[ $APT_UPDATED == 0 ]]; then
        log "apt-get update"
        # Lock timeout: a fresh machine may still be running its own apt job.
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
        APT_UPDATED=1
    fi
    log "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
        --no-install-recommends "$@" >&2
}

# Debian does not put initdb/pg_ctl on PATH; they live in the versioned bin directory.
pg_bin_dir() {
    if [[ -n "${WEBHOOKS_PG_BIN:-}" ]]; then echo "$WEBHOOKS_PG_BIN"; return; fi
    # An existing cluster must be run by its own major version.
    if [[ -f "$PG_DATA/PG_VERSION" ]]; then
        local v; v="$(cat "$PG_DATA/PG_VERSION")"
        if [[ -x "/usr/lib/postgresql/$v/bin/initdb" ]]; then echo "/usr/lib/postgresql/$v/bin"; return; fi
    fi
    local d
    d="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
    if [[ -n "$d" && -x "$d/initdb" ]]; then echo "$d"; fi
}

ensure_packages() {
    if [[ -z "$(pg_bin_dir)" ]]; then apt_install postgresql; fi
    [[ -n "$(pg_bin_dir)" ]] || die "initdb not found after installing postgresql"
    # The Debian package may start its own default services (5432 / 5672, node rabbit@host);
    # they are left alone: our instance uses other ports, node name, data dirs and cookie.
    if ! command -v rabbitmq-server >/dev/null 2>&1 && [[ ! -x "$RABBIT_LIB_BIN/rabbitmq-server" ]]; then
        apt_install rabbitmq-server
    fi
    [[ -x "$RABBIT_LIB_BIN/rabbitmq-server" ]] || die "rabbitmq-server not found after install"
}

# ---------------------------------------------------------------------------- helpers

port_busy() {
    # bash's /dev/tcp avoids depending on ss/nc, which minimal images lack.
    timeout 2 bash -c ": >/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

describe_port() {
    if command -v ss >/dev/null 2>&1; then
        ss -Hltnp "sport = :$1" 2>/dev/null | sed 's/^/    /' >&2 || true
    fi
    local f
    for f in /tmp/webhooks-*/repo; do
        [[ -f "$f" && "$(dirname "$f")" != "$STATE" ]] && log "  other instance state: $(dirname "$f") (repo $(cat "$f"))"
    done
    return 0
}

require_port_free() {
    local port="$1" what="$2" var="$3"
    if port_busy "$port"; then
        log "port $port ($what) on 127.0.0.1 is already in use by something other than this instance:"
        describe_port "$port"
        die "stop the other instance (its deploy/local/services.sh stop) or choose another port with $var"
    fi
}

prepare_state() {
    if [[ -e "$STATE" ]]; then
        # Refuse a pre-created folder in /tmp that someone else controls.
        [[ -d "$STATE" && ! -L "$STATE" && "$(stat -c %u "$STATE")" == 0 ]] \
            || die "$STATE exists but is not a root-owned directory; remove it or set WEBHOOKS_STATE_DIR"
    fi
    install -d -m 755 -o root -g root "$STATE" "$STATE/bin"
    printf '%s\n' "$REPO" > "$STATE/repo"
    # A convenience link so the data is reachable from the checkout (.local/ is git-ignored); only
    # for the checkout's own instance, so that a separate one (WEBHOOKS_STATE_DIR, e.g. the
    # fault-injection run's) does not take the link away from it.
    if [[ -z "${WEBHOOKS_STATE_DIR:-}" ]]; then
        mkdir -p "$REPO/.local"
        ln -sfn "$STATE" "$REPO/.local/state"
    fi
}

lock_state() {
    # Serialises concurrent start/stop of the same instance (e.g. parallel test jobs).
    exec 9>"$STATE/lock"
    flock -w 300 9 || die "timed out waiting for another services.sh on $STATE"
}

# ---------------------------------------------------------------------------- postgres

as_postgres() { (cd "$PG_DIR" && runuser -u postgres -- "$@"); }

pg_running() {
    [[ -f "$PG_DATA/PG_VERSION" ]] || return 1
    as_postgres "$(pg_bin_dir)/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

pg_write_conf() {
    # Regenerated on every start so changed ports take effect; postgresql.conf only includes it.
    cat > "$PG_DATA/webhooks.conf" <<EOF
# Generated by deploy/local/services.sh - edits are overwritten on start.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_RUN'
max_connections = 200
# Durability on, like production: tests of "ack only after commit" must mean something.
fsync = on
synchronous_commit = on
full_page_writes = on
# Sized for a store of millions of events on a small machine: indexes stay in memory and bursts of
# writes do not force a checkpoint every minute (each one makes the next writes full-page images).
shared_buffers = 1GB
max_wal_size = 4GB
checkpoint_timeout = 15min
logging_collector = off
log_min_messages = warning
${PG_EXTRA_CONF:-}
EOF
    chown postgres:postgres "$PG_DATA/webhooks.conf"
    grep -qxF "include = 'webhooks.conf'" "$PG_DATA/postgresql.conf" \
        || echo "include = 'webhooks.conf'" >> "$PG_DATA/postgresql.conf"
}

pg_start() {
    local bin; bin="$(pg_bin_dir)"
    install -d -m 755 -o postgres -g postgres "$PG_DIR" "$PG_DIR/log"
    install -d -m 700 -o postgres -g postgres "$PG_RUN"

    if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
        log "postgres: initdb $PG_DATA"
        rm -rf "$PG_DATA"
        install -d -m 700 -o postgres -g postgres "$PG_DATA"
        # peer auth on the private socket (for this script), passwords over TCP (for the app).
        as_postgres "$bin/initdb" -D "$PG_DATA" -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-local=peer --auth-host=scram-sha-256 >/dev/null
    fi

    if pg_running && ! port_busy "$PG_PORT"; then
        # Started earlier with other ports: bring it up again where this run expects it.
        log "postgres: running on another port; restarting on 127.0.0.1:$PG_PORT"
        pg_stop
    fi
    if pg_running; then
        log "postgres: already running on 127.0.0.1:$PG_PORT"
    else
        require_port_free "$PG_PORT" postgres "${PG_PORT_SETTING:-WEBHOOKS_PG_PORT}"
        pg_write_conf
        log "postgres: starting on 127.0.0.1:$PG_PORT"
        # 9>&-: the server must not inherit (and hold forever) our lock.
        if ! as_postgres "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null 9>&-; then
            tail -n 20 "$PG_LOG" >&2 || true
            die "postgres failed to start (log: $PG_LOG)"
        fi
    fi

    local i
    for ((i = 0; i < 60; i++)); do
        "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break
        sleep 1
    done
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" || die "postgres not answering on 127.0.0.1:$PG_PORT"

    # Idempotent; cheap enough to run on every start, and repairs a dropped role/db.
    # Superuser so tests can create their own databases/schemas.
    as_postgres "$bin/psql" -h "$PG_RUN" -p "$PG_PORT" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 <<'SQL' >/dev/null
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'webhooks') THEN
    CREATE ROLE webhooks LOGIN SUPERUSER PASSWORD 'webhooks';
  END IF;
END $$;
SELECT 'CREATE DATABASE webhooks OWNER webhooks'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'webhooks') \gexec
SQL
}

pg_stop() {
    if pg_running; then
        log "postgres: stopping"
        as_postgres "$(pg_bin_dir)/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null
    else
        log "postgres: not running"
    fi
}

# ---------------------------------------------------------------------------- rabbitmq

rabbit_env() {
    # Every RabbitMQ/Erlang setting is passed explicitly (env -i) so nothing from /etc/rabbitmq,
    # the system service or the caller's environment leaks in, for server and CLI alike.
    # inet_dist_use_interface keeps Erlang distribution on loopback; ERL_EPMD_ADDRESS does the
    # same for epmd when our node or CLI is the one that starts it.
    local loopback_dist='-kernel inet_dist_use_interface {127,0,0,1}'
    printf '%s\n' \
        "PATH=$SYS_PATH" \
        "LANG=C.UTF-8" \
        "HOME=$RABBIT_HOME" \
        "ERL_EPMD_ADDRESS=127.0.0.1" \
        "RABBITMQ_NODENAME=$RABBIT_NODE" \
        "RABBITMQ_NODE_IP_ADDRESS=127.0.0.1" \
        "RABBITMQ_NODE_PORT=$RABBIT_PORT" \
        "RABBITMQ_DIST_PORT=$RABBIT_DIST_PORT" \
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=$loopback_dist" \
        "RABBITMQ_CTL_ERL_ARGS=$loopback_dist" \
        "RABBITMQ_CONF_ENV_FILE=$RABBIT_DIR/rabbitmq-env.conf" \
        "RABBITMQ_CONFIG_FILE=$RABBIT_DIR/rabbitmq.conf" \
        "RABBITMQ_ADVANCED_CONFIG_FILE=$RABBIT_DIR/advanced.config" \
        "RABBITMQ_ENABLED_PLUGINS_FILE=$RABBIT_DIR/enabled_plugins" \
        "RABBITMQ_MNESIA_BASE=$RABBIT_DIR/mnesia" \
        "RABBITMQ_LOG_BASE=$RABBIT_DIR/log" \
        "RABBITMQ_PID_FILE=$RABBIT_PIDFILE"
}

rabbit_write_files() {
    install -d -m 755 -o root -g root "$RABBIT_DIR"
    install -d -m 700 -o rabbitmq -g rabbitmq "$RABBIT_HOME" "$RABBIT_DIR/mnesia" "$RABBIT_DIR/run"
    install -d -m 755 -o rabbitmq -g rabbitmq "$RABBIT_DIR/log"

    # Private cookie per instance: the CLI and the server both read it from $HOME. Erlang
    # rejects cookie files readable by others, hence 400 and owned by rabbitmq.
    if [[ ! -s "$RABBIT_HOME/.erlang.cookie" ]]; then
        (umask 077; head -c 64 /dev/urandom | sha256sum | cut -c1-32 | tr -d '\n' \
            > "$RABBIT_HOME/.erlang.cookie")
    fi
    chown rabbitmq:rabbitmq "$RABBIT_HOME/.erlang.cookie"
    chmod 400 "$RABBIT_HOME/.erlang.cookie"

    # Empty on purpose: stops the scripts from sourcing /etc/rabbitmq/rabbitmq-env.conf.
    echo "# intentionally empty (see deploy/local/services.sh)" > "$RABBIT_DIR/rabbitmq-env.conf"
    # Plugins are enabled offline through this file, so no running node is needed for it
    # and /etc/rabbitmq/enabled_plugins (the system service's) is untouched.
    echo '[rabbitmq_management].' > "$RABBIT_DIR/enabled_plugins"
    # guest stays loopback-only (the default), which is all we need on 127.0.0.1.
    # The AMQP listener comes from RABBITMQ_NODE_IP_ADDRESS/RABBITMQ_NODE_PORT.
    cat > "$RABBIT_DIR/rabbitmq.conf" <<EOF
# Generated by deploy/local/services.sh - edits are overwritten on start.
management.tcp.ip = 127.0.0.1
management.tcp.port = $RABBIT_MGMT_PORT
# The log file is enough; console output would pile up in startup.log.
log.console = false
${RABBIT_EXTRA_CONF:-}
EOF
    chmod 644 "$RABBIT_DIR/rabbitmq-env.conf" "$RABBIT_DIR/enabled_plugins" "$RABBIT_DIR/rabbitmq.conf"

    # Tests call "$WEBHOOKS_RABBITMQCTL stop_app" etc.; a single executable is easiest to
    # spawn from C#. It runs the CLI as rabbitmq so it shares the cookie in $RABBIT_HOME.
    {
        echo '#!/bin/sh'
        echo "# Generated by $REPO/deploy/local/services.sh: rabbitmqctl bound to node $RABBIT_NODE."
        echo "cd $(shq "$RABBIT_HOME") 2>/dev/null || cd /"
        printf 'set -- env -i'
        local kv
        while IFS= read -r kv; do printf ' %s' "$(shq "$kv")"; done < <(rabbit_env)
        echo " $RABBIT_LIB_BIN/rabbitmqctl -n $(shq "$RABBIT_NODE") \"\$@\""
        # shellcheck disable=SC2016 # expanded by the generated script, not here
        echo 'if [ "$(id -u)" = 0 ]; then exec runuser -u rabbitmq -- "$@"; else exec "$@"; fi'
    } > "$RABBITMQCTL.tmp"
    chmod 755 "$RABBITMQCTL.tmp"
    mv -f "$RABBITMQCTL.tmp" "$RABBITMQCTL"
}

rabbit_pid_alive() {
    local pid
    pid="$(cat "$RABBIT_PIDFILE" 2>/dev/null)" || return 1
    # After a crash or reboot the pid may belong to an unrelated process.
    [[ -n "$pid" && "$(cat "/proc/$pid/comm" 2>/dev/null)" == beam.smp ]]
}

# Node up is not enough: after `stop_app` the node answers but the broker is down.
rabbit_running() {
    rabbit_pid_alive && [[ -x "$RABBITMQCTL" ]] \
        && [[ "$("$RABBITMQCTL" -q eval 'rabbit:is_running().' 2>/dev/null)" == true ]]
}

rabbit_start() {
    local launcher=""
    if rabbit_running && ! port_busy "$RABBIT_PORT"; then
        # Started earlier with other ports: bring it up again where this run expects it.
        log "rabbitmq: running on another port; restarting on 127.0.0.1:$RABBIT_PORT"
        rabbit_stop
    fi
    if rabbit_pid_alive; then
        [[ -x "$RABBITMQCTL" ]] || rabbit_write_files
        # A test may have left the node up with the broker stopped (stop_app);
        # await_startup would just wait for it, so start it instead.
        case "$("$RABBITMQCTL" -q eval 'case rabbit:is_running() of true -> running; false -> rabbit:is_booting() end.' 2>/dev/null)" in
            running)
                log "rabbitmq: already running (node $RABBIT_NODE, 127.0.0.1:$RABBIT_PORT)"
                return 0 ;;
            false)
                log "rabbitmq: node up but broker stopped (stop_app?); running start_app"
                "$RABBITMQCTL" -q start_app >/dev/null ;;
            *) log "rabbitmq: node still booting, waiting" ;;
        esac
    else
        require_port_free "$RABBIT_PORT" "rabbitmq amqp" "${RABBIT_PORT_SETTING:-WEBHOOKS_RABBIT_PORT}"
        require_port_free "$RABBIT_DIST_PORT" "rabbitmq erlang distribution" "${RABBIT_PORT_SETTING:-WEBHOOKS_RABBIT_DIST_PORT}"
        require_port_free "$RABBIT_MGMT_PORT" "rabbitmq management" "${RABBIT_PORT_SETTING:-WEBHOOKS_RABBIT_MGMT_PORT}"
        # Same node name registered by another clone's broker: starting would fail obscurely.
        local short="${RABBIT_NODE%@*}"
        if epmd -names 2>/dev/null | grep -q "^name $short at port"; then
            describe_port "$RABBIT_PORT"
            die "an Erlang node named '$short' is already running (another instance?); stop it or set ${RABBIT_NODE_SETTING:-WEBHOOKS_RABBIT_NODE}"
        fi
        rabbit_write_files
        rm -f "$RABBIT_PIDFILE"
        log "rabbitmq: starting node $RABBIT_NODE on 127.0.0.1:$RABBIT_PORT"
        local -a envs
        mapfile -t envs < <(rabbit_env)
        # setsid: the broker must outlive this shell and its process group.
        # runuser stays the parent of the broker, so its pid tells us if startup died.
        (cd "$RABBIT_HOME" && exec setsid runuser -u rabbitmq -- env -i "${envs[@]}" \
            "$RABBIT_LIB_BIN/rabbitmq-server" </dev/null >"$RABBIT_STARTUP_LOG" 2>&1 9>&-) &
        launcher=$!
    fi

    # await_startup fails fast while the node is not yet registered, so poll it.
    local deadline=$((SECONDS + 90))
    until "$RABBITMQCTL" -q await_startup --timeout 10 >/dev/null 2>&1; do
        if ((SECONDS > deadline)) \
            || { [[ -n "$launcher" ]] && ! kill -0 "$launcher" 2>/dev/null; } \
            || { [[ -z "$launcher" ]] && ! rabbit_pid_alive; }; then
            tail -n 30 "$RABBIT_STARTUP_LOG" >&2 || true
            die "rabbitmq did not start (logs: $RABBIT_DIR/log)"
        fi
        sleep 1
    done
    rabbit_pid_alive || die "rabbitmq answers but its pid file $RABBIT_PIDFILE is missing"
    port_busy "$RABBIT_PORT" || die "rabbitmq is up but 127.0.0.1:$RABBIT_PORT is not accepting connections"
}

rabbit_stop() {
    if rabbit_pid_alive; then
        log "rabbitmq: stopping"
        # With the pid file, stop also waits for the OS process to exit.
        "$RABBITMQCTL" -q stop "$RABBIT_PIDFILE" >/dev/null
    else
        log "rabbitmq: not running"
    fi
}

# ---------------------------------------------------------------------------- commands

# WEBHOOKS_STATE_DIR is deliberately not exported: once eval'ed it would make every other
# clone's services.sh use this clone's data.
cmd_env() {
    print_exports \
        "ConnectionStrings__Postgres=Host=127.0.0.1;Port=$PG_PORT;Database=webhooks;Username=webhooks;Password=webhooks" \
        "ConnectionStrings__RabbitMq=amqp://guest:guest@127.0.0.1:$RABBIT_PORT/" \
        "WEBHOOKS_RABBIT_NODE=$RABBIT_NODE" \
        "WEBHOOKS_RABBITMQCTL=$RABBITMQCTL" \
        "WEBHOOKS_RABBIT_MGMT_URL=http://127.0.0.1:$RABBIT_MGMT_PORT/"
}

# NAME=value... as shell lines that export them, for eval.
print_exports() {
    local kv
    for kv in "$@"; do
        printf 'export %s=%s\n' "${kv%%=*}" "$(shq "${kv#*=}")"
    done
}

cmd_status() {
    local rc=0
    if pg_running; then
        echo "postgres: running (127.0.0.1:$PG_PORT, data $PG_DATA)"
    else
        echo "postgres: stopped"; rc=3
    fi
    if rabbit_running; then
        echo "rabbitmq: running (node $RABBIT_NODE, amqp 127.0.0.1:$RABBIT_PORT, mgmt 127.0.0.1:$RABBIT_MGMT_PORT)"
    elif rabbit_pid_alive; then
        echo "rabbitmq: node process alive but broker not running (starting, stopping or after stop_app)"; rc=3
    else
        echo "rabbitmq: stopped"; rc=3
    fi
    return $rc
}

services_main() {
    case "${1:-}" in
        start)
            require_root
            started=$SECONDS
            ensure_packages
            prepare_state
            lock_state
            pg_start
            rabbit_start
            log "ready in $((SECONDS - started)) s; use: eval \"\$($0 env)\""
            ;;
        stop)
            require_root
            if [[ -d "$STATE" ]]; then lock_state; fi
            rabbit_stop
            pg_stop
            ;;
        status)
            require_root
            cmd_status
            ;;
        env)
            cmd_env
            ;;
        *)
            echo "usage: $0 start|stop|status|env" >&2
            exit 2
            ;;
    esac
}

# Sourced (deploy/local/cluster.sh), it only defines the functions above.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    services_main "$@"
fi
