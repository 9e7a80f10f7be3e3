#!/usr/bin/env bash
# A local cluster for trying the service on replicated engines (Debian 12, run as root): three
# RabbitMQ nodes clustered on loopback, and a PostgreSQL primary with a synchronous standby
# (streaming replication, synchronous_standby_names), so that a commit, and so a 200, is on two servers.
#
#   deploy/local/cluster.sh start|stop|status|env
#   eval "$(deploy/local/cluster.sh env)"     # ConnectionStrings__* naming every node, Processor__QueueType=quorum
#
# And, to try a failover by hand (the cluster fault run does it on a schedule):
#   deploy/local/cluster.sh leader QUEUE      # the letter (a, b, c) of the node that leads a quorum queue
#   deploy/local/cluster.sh kill-rabbit a|b|c # SIGKILL a broker node; `start-rabbit a|b|c` (or `start`) brings it back
#   deploy/local/cluster.sh kill-pg a|b       # SIGKILL a PostgreSQL server and every process it forked
#   deploy/local/cluster.sh promote           # pg-b becomes the primary, synchronous_standby_names cleared
#
# It runs the instances with deploy/local/services.sh's own functions (sourced), each in a folder of
# its own under the state folder: pg-a (the first primary), pg-b (its standby), rabbit-a/b/c (one
# Erlang cookie for the three). A started cluster is started again as it was: the standby stays a
# standby, a promoted one stays the primary (deploy/local/cluster-fault-injection.sh promotes it).
#
# Settings (environment, all optional; ports below Linux's ephemeral range, as services.sh explains):
#   WEBHOOKS_CLUSTER_STATE_DIR          /tmp/webhooks-cluster
#   WEBHOOKS_CLUSTER_PG_PORTS           "24532 24533"          primary, standby
#   WEBHOOKS_CLUSTER_RABBIT_PORTS       "24821 24822 24823"    AMQP of nodes a, b, c
#   WEBHOOKS_CLUSTER_RABBIT_DIST_PORTS  "25821 25822 25823"    Erlang distribution
#   WEBHOOKS_CLUSTER_RABBIT_MGMT_PORTS  "15821 15822 15823"    management UI/API
#   WEBHOOKS_CLUSTER_RABBIT_NODE_PREFIX webhookscluster        nodes <prefix>-a@localhost ...
set -euo pipefail

CLUSTER_STATE="${WEBHOOKS_CLUSTER_STATE_DIR:-/tmp/webhooks-cluster}"
read -r -a CLUSTER_PG_PORTS <<<"${WEBHOOKS_CLUSTER_PG_PORTS:-24532 24533}"
read -r -a CLUSTER_RABBIT_PORTS <<<"${WEBHOOKS_CLUSTER_RABBIT_PORTS:-24821 24822 24823}"
read -r -a CLUSTER_RABBIT_DIST_PORTS <<<"${WEBHOOKS_CLUSTER_RABBIT_DIST_PORTS:-25821 25822 25823}"
read -r -a CLUSTER_RABBIT_MGMT_PORTS <<<"${WEBHOOKS_CLUSTER_RABBIT_MGMT_PORTS:-15821 15822 15823}"
CLUSTER_NODE_PREFIX="${WEBHOOKS_CLUSTER_RABBIT_NODE_PREFIX:-webhookscluster}"
CLUSTER_PG_NAMES=(a b)
CLUSTER_RABBIT_NAMES=(a b c)

# services.sh's functions work on the instance its globals name; its own defaults are never used here.
export WEBHOOKS_STATE_DIR="$CLUSTER_STATE" WEBHOOKS_PG_PORT="${CLUSTER_PG_PORTS[0]}" WEBHOOKS_RABBIT_PORT="${CLUSTER_RABBIT_PORTS[0]}"
export WEBHOOKS_RABBIT_DIST_PORT="${CLUSTER_RABBIT_DIST_PORTS[0]}" WEBHOOKS_RABBIT_MGMT_PORT="${CLUSTER_RABBIT_MGMT_PORTS[0]}"
# shellcheck source=deploy/local/services.sh
source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
log() { printf '[cluster] %s\n' "$*" >&2; }
die() { printf '[cluster] ERROR: %s\n' "$*" >&2; exit 1; }
PG_PORT_SETTING=WEBHOOKS_CLUSTER_PG_PORTS RABBIT_PORT_SETTING=WEBHOOKS_CLUSTER_RABBIT_PORTS RABBIT_NODE_SETTING=WEBHOOKS_CLUSTER_RABBIT_NODE_PREFIX

((${#CLUSTER_PG_PORTS[@]} == 2)) || die "WEBHOOKS_CLUSTER_PG_PORTS must name two ports (primary, standby)"
for list in CLUSTER_RABBIT_PORTS CLUSTER_RABBIT_DIST_PORTS CLUSTER_RABBIT_MGMT_PORTS; do
    declare -n ports="$list"
    ((${#ports[@]} == 3)) || die "WEBHOOKS_${list} must name three ports (nodes a, b, c)"
    for _p in "${ports[@]}"; do
        [[ "$_p" =~ ^[0-9]+$ ]] && ((_p >= 1024 && _p <= 65535)) || die "invalid port '$_p' in WEBHOOKS_${list}"
    done
    unset -n ports
done

# ---------------------------------------------------------------------------- selecting an instance

# Points services.sh's PostgreSQL globals at pg-<name> (0: a, 1: b).
pg_select() {
    PG_PORT="${CLUSTER_PG_PORTS[$1]}"
    PG_DIR="$CLUSTER_STATE/pg-${CLUSTER_PG_NAMES[$1]}"
    PG_DATA="$PG_DIR/data" PG_RUN="$PG_DIR/run" PG_LOG="$PG_DIR/log/postgres.log"
    # Streaming replication, and every commit waiting for a standby's flush. Both servers carry the
    # same settings, as one image would; a promoted standby therefore waits for a standby of its own
    # until synchronous_standby_names is cleared (pg_promote_standby does, as an operator would).
    PG_EXTRA_CONF="cluster_name = 'webhooks_${CLUSTER_PG_NAMES[$1]}'
wal_level = replica
max_wal_senders = 10
max_replication_slots = 10
hot_standby = on
wal_log_hints = on
${PG_SYNC_CONF:-synchronous_standby_names = '*'}"
}

# Points services.sh's RabbitMQ globals at rabbit-<name> (0: a, 1: b, 2: c).
rabbit_select() {
    RABBIT_PORT="${CLUSTER_RABBIT_PORTS[$1]}"
    RABBIT_DIST_PORT="${CLUSTER_RABBIT_DIST_PORTS[$1]}"
    RABBIT_MGMT_PORT="${CLUSTER_RABBIT_MGMT_PORTS[$1]}"
    RABBIT_NODE="$CLUSTER_NODE_PREFIX-${CLUSTER_RABBIT_NAMES[$1]}@localhost"
    RABBIT_DIR="$CLUSTER_STATE/rabbit-${CLUSTER_RABBIT_NAMES[$1]}"
    RABBIT_HOME="$RABBIT_DIR/home"
    RABBIT_PIDFILE="$RABBIT_DIR/run/rabbitmq.pid"
    RABBIT_STARTUP_LOG="$RABBIT_DIR/log/startup.log"
    RABBITMQCTL="$CLUSTER_STATE/bin/rabbitmqctl-${CLUSTER_RABBIT_NAMES[$1]}"
    # A minority (one node cut off from two) pauses rather than go on alone and diverge.
    RABBIT_EXTRA_CONF="cluster_partition_handling = pause_minority"
}

as_pg() { (cd "$PG_DIR" && runuser -u postgres -- "$@"); }
pg_psql() { as_pg "$(pg_bin_dir)/psql" -h "$PG_RUN" -p "$PG_PORT" -U postgres -d postgres -qAtX -v ON_ERROR_STOP=1 "$@"; }
pg_is_standby() { [[ -f "$PG_DATA/standby.signal" ]]; }

# ---------------------------------------------------------------------------- postgres

cluster_pg_start() {
    pg_select 1
    if [[ -f "$PG_DATA/PG_VERSION" ]] && ! pg_is_standby; then
        # Promoted: pg-a was the primary before and must not come back as a second one.
        log "postgres pg-a: not started, pg-b was promoted in its place (rebuild pg-a as pg-b's standby to have two again)"
        pg_start_selected 1
        return 0
    fi

    pg_select 0
    if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
        # No standby yet: a synchronous commit (creating the role) would wait for one forever.
        PG_SYNC_CONF="synchronous_standby_names = ''" pg_start_selected 0
    else
        pg_start_selected 0
    fi

    pg_select 1
    if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
        local primary_run primary_port
        pg_select 0
        primary_run="$PG_RUN" primary_port="$PG_PORT"
        pg_select 1
        log "postgres: pg_basebackup of pg-a into pg-b (streaming replication, slot webhooks_standby)"
        install -d -m 755 -o postgres -g postgres "$PG_DIR" "$PG_DIR/log"
        install -d -m 700 -o postgres -g postgres "$PG_RUN"
        rm -rf "$PG_DATA"
        # -R writes standby.signal and primary_conninfo (the primary's socket, peer authentication).
        as_pg "$(pg_bin_dir)/pg_basebackup" -D "$PG_DATA" -h "$primary_run" -p "$primary_port" -U postgres \
            -X stream -R -C -S webhooks_standby --checkpoint=fast >/dev/null
    fi
    pg_start_selected 1

    # From now on every commit on pg-a waits for pg-b's flush.
    pg_select 0
    pg_write_conf
    as_pg "$(pg_bin_dir)/pg_ctl" -D "$PG_DATA" reload >/dev/null
    local i
    for ((i = 0; i < 30; i++)); do
        [[ "$(pg_psql -c "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'")" == 1 ]] && return 0
        sleep 1
    done
    die "pg-b does not stream synchronously from pg-a (logs: $CLUSTER_STATE/pg-*/log)"
}

pg_start_selected() {
    pg_select "$1"
    log "postgres pg-${CLUSTER_PG_NAMES[$1]}: $(pg_is_standby && echo standby || echo primary) on 127.0.0.1:$PG_PORT"
    pg_start
}

# SIGKILL of a PostgreSQL server: its postmaster and every process it forked (the machine died).
pg_kill_selected() {
    local pid
    pid="$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null)" || return 0
    [[ -n "$pid" ]] || return 0
    kill -KILL "$pid" $(pgrep -P "$pid") 2>/dev/null || true
}

# Promotes the standby (pg-b) and clears synchronous_standby_names on it, which has no standby of
# its own: kept, it would make every commit wait for one that never comes.
pg_promote_standby() {
    pg_select 1
    pg_is_standby || { log "postgres pg-b: already the primary"; return 0; }
    as_pg "$(pg_bin_dir)/pg_ctl" -D "$PG_DATA" -w -t 60 promote >/dev/null
    pg_psql -c "ALTER SYSTEM SET synchronous_standby_names = ''" -c "SELECT pg_reload_conf()" >/dev/null
}

cluster_pg_stop() {
    local i
    for i in 1 0; do
        pg_select "$i"
        pg_stop
    done
}

# ---------------------------------------------------------------------------- rabbitmq

cluster_rabbit_start() {
    local i first_node
    rabbit_select 0
    first_node="$RABBIT_NODE"
    for i in 0 1 2; do
        rabbit_select "$i"
        # One Erlang cookie for the three nodes (and their CLIs): the first node's.
        if ((i > 0)) && [[ ! -s "$RABBIT_HOME/.erlang.cookie" ]]; then
            install -d -m 700 -o rabbitmq -g rabbitmq "$RABBIT_HOME"
            install -m 400 -o rabbitmq -g rabbitmq "$CLUSTER_STATE/rabbit-a/home/.erlang.cookie" "$RABBIT_HOME/.erlang.cookie"
        fi
        rabbit_start
        if ((i > 0)) && [[ "$("$RABBITMQCTL" -q eval "lists:member('$first_node', rabbit_nodes:all()).")" != true ]]; then
            log "rabbitmq: $RABBIT_NODE joins $first_node"
            "$RABBITMQCTL" -q stop_app >/dev/null
            "$RABBITMQCTL" -q join_cluster "$first_node" >/dev/null
            "$RABBITMQCTL" -q start_app >/dev/null
        fi
    done
}

# The last node to stop must be the first to start (it has the newest view of the cluster): a, b, c
# start in that order, so they stop in the other.
cluster_rabbit_stop() {
    local i
    for i in 2 1 0; do
        rabbit_select "$i"
        rabbit_stop
    done
}

# SIGKILL of a broker node (the machine died); its Erlang helpers end with it.
rabbit_kill_selected() {
    local pid
    pid="$(cat "$RABBIT_PIDFILE" 2>/dev/null)" || return 0
    rabbit_pid_alive && kill -KILL "$pid"
    while rabbit_pid_alive; do sleep 0.2; done
}

# ---------------------------------------------------------------------------- commands

# The index of a node's letter among the letters that follow it.
node_index() {
    local letter="$1" i=0
    shift
    for name in "$@"; do
        [[ "$name" == "$letter" ]] && { echo "$i"; return 0; }
        i=$((i + 1))
    done
    die "no node '$letter' (one of: $*)"
}

# Asks the first node that answers; prints the leader's letter.
cluster_leader() {
    local i leader
    for i in 0 1 2; do
        rabbit_select "$i"
        leader="$("$RABBITMQCTL" -q list_queues name leader 2>/dev/null | awk -v q="$1" '$1 == q { print $2 }')" || continue
        [[ -n "$leader" ]] || continue
        leader="${leader%@*}"
        echo "${leader##*-}"
        return 0
    done
    die "no node answered with a leader for queue '$1'"
}

cluster_env() {
    local i hosts="" uris=""
    for i in 0 1; do hosts+="${hosts:+,}127.0.0.1:${CLUSTER_PG_PORTS[$i]}"; done
    for i in 0 1 2; do uris+="${uris:+,}amqp://guest:guest@127.0.0.1:${CLUSTER_RABBIT_PORTS[$i]}/"; done
    rabbit_select 0
    print_exports \
        "ConnectionStrings__Postgres=Host=$hosts;Target Session Attributes=primary;Database=webhooks;Username=webhooks;Password=webhooks" \
        "ConnectionStrings__RabbitMq=$uris" \
        "Processor__QueueType=quorum" \
        "WEBHOOKS_RABBITMQCTL=$RABBITMQCTL" \
        "WEBHOOKS_RABBIT_MGMT_URL=http://127.0.0.1:${CLUSTER_RABBIT_MGMT_PORTS[0]}/"
}

cluster_status() {
    local i rc=0
    for i in 0 1; do
        pg_select "$i"
        if pg_running; then
            echo "postgres pg-${CLUSTER_PG_NAMES[$i]}: running as $(pg_is_standby && echo standby || echo primary) (127.0.0.1:$PG_PORT)"
        else
            echo "postgres pg-${CLUSTER_PG_NAMES[$i]}: stopped"; rc=3
        fi
    done
    for i in 0 1 2; do
        rabbit_select "$i"
        if rabbit_running; then
            echo "rabbitmq $RABBIT_NODE: running (amqp 127.0.0.1:$RABBIT_PORT, mgmt 127.0.0.1:$RABBIT_MGMT_PORT)"
        else
            echo "rabbitmq $RABBIT_NODE: stopped"; rc=3
        fi
    done
    rabbit_select 0
    rabbit_running && echo "rabbitmq cluster, running: $("$RABBITMQCTL" -q eval 'rabbit_nodes:all_running().' | tr -d '\n ')"
    return $rc
}

cluster_main() {
    case "${1:-}" in
        start)
            require_root
            local started=$SECONDS
            ensure_packages
            STATE="$CLUSTER_STATE"
            prepare_state
            lock_state
            cluster_pg_start
            cluster_rabbit_start
            log "ready in $((SECONDS - started)) s; use: eval \"\$($0 env)\""
            ;;
        stop)
            require_root
            if [[ -d "$CLUSTER_STATE" ]]; then STATE="$CLUSTER_STATE"; lock_state; fi
            cluster_rabbit_stop
            cluster_pg_stop
            ;;
        status)
            require_root
            cluster_status
            ;;
        env)
            cluster_env
            ;;
        leader)
            [[ -n "${2:-}" ]] || die "usage: $0 leader QUEUE"
            cluster_leader "$2"
            ;;
        kill-rabbit)
            require_root
            rabbit_select "$(node_index "${2:-}" a b c)"
            rabbit_kill_selected
            ;;
        start-rabbit)
            require_root
            rabbit_select "$(node_index "${2:-}" a b c)"
            rabbit_start
            ;;
        kill-pg)
            require_root
            pg_select "$(node_index "${2:-}" a b)"
            pg_kill_selected
            ;;
        promote)
            require_root
            pg_promote_standby
            ;;
        *)
            echo "usage: $0 start|stop|status|env|leader QUEUE|kill-rabbit a|b|c|start-rabbit a|b|c|kill-pg a|b|promote" >&2
            exit 2
            ;;
    esac
}

# Sourced (the cluster fault run), it only defines the functions above.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    cluster_main "$@"
fi
