#!/usr/bin/env bash
# Fault-injection run: the whole pipeline under a gateway's traffic while its parts are killed.
#
#   deploy/local/fault-injection.sh
#
# Starts its OWN PostgreSQL and RabbitMQ (services.sh with a separate state dir, ports and node
# name, wiped at start: the instances of deploy/local/run.sh and test.sh are never touched),
# builds Release, starts one receiver and one processor, and runs `webhooks simulate` in the
# background (>= 5,000 distinct events: order lifecycles shuffled, partial and full refunds, disputes,
# charges and disputes that name only their payment intent, second copies, gateway retries).
# While it sends, on a schedule counted from the simulator's start:
#
#   t+15s  SIGKILL the processor, start it again 3 s later
#   t+30s  RabbitMQ stop_app, start_app 10 s after it has stopped
#   t+60s  PostgreSQL restart (pg_ctl restart -m fast)
#   t+75s  SIGKILL the receiver with requests in flight, start it again 3 s later
#   t+95s  SIGKILL the processor again, start it again 3 s later
#
# Then it waits (bounded) until the outbox is empty, the queue drained and every stored event
# processed, and checks, printing a table (check | expected | actual | ok):
#   1. every event that got a 200 is stored exactly once
#   2. every order is in its right final state (as the simulator planned it): status, dispute,
#      amount, currency and amount refunded; no event still waiting for its payment intent's order
#   3. nothing is dead-lettered (error and skipped queues empty)
#   4. nothing was published into the void (outbox empty, every stored event processed)
#   5. the gateway gave up on no delivery (else an order's expectation may not hold)
# Exit 0 only when every check passes. The whole run is bounded by FAULT_TIMEOUT (default 300 s).
#
#   deploy/local/fault-injection.sh --cluster
#
# The same traffic and checks on replicated engines: deploy/local/cluster.sh's three RabbitMQ nodes
# (quorum queues) and PostgreSQL primary with its synchronous standby, every service given every node;
# two receivers (the simulator's attempts alternate between them) and two processors. The faults:
#
#   t+15s  SIGKILL the RabbitMQ node that leads the event queue
#   t+25s  SIGKILL processor 1, start it again 3 s later
#   t+40s  SIGKILL the PostgreSQL primary; 3 s later promote the standby and clear its
#          synchronous_standby_names (as an operator does); the old primary does not return
#   t+55s  start the killed RabbitMQ node again (it rejoins the cluster)
#   t+70s  SIGKILL receiver 1 with requests in flight, start it again 3 s later
#
# Cluster settings: FAULT_CLUSTER_STATE_DIR (/tmp/webhooks-fault-cluster), FAULT_CLUSTER_PG_PORTS
# ("25532 25533"), FAULT_CLUSTER_RABBIT_PORTS ("25721 25722 25723"), FAULT_CLUSTER_RABBIT_DIST_PORTS
# ("25731 25732 25733"), FAULT_CLUSTER_RABBIT_MGMT_PORTS ("25741 25742 25743"),
# FAULT_CLUSTER_RABBIT_NODE_PREFIX (webhooksfaultcluster), FAULT_RECEIVER2_PORT (5382),
# FAULT_PROCESSOR2_PORT (5383); FAULT_ORDERS defaults to 1200 and FAULT_TIMEOUT to 480 there.
#
# Settings (environment, all optional): FAULT_TIMEOUT, FAULT_ORDERS (1650), FAULT_RATE (55),
# FAULT_CONCURRENCY (16), FAULT_DUPLICATES (0.2), FAULT_DISPUTES (0.1), FAULT_SEED, FAULT_STATE_DIR (/tmp/webhooks-fault),
# FAULT_PG_PORT (25632), FAULT_RABBIT_PORT (25672), FAULT_RABBIT_DIST_PORT (25692),
# FAULT_RABBIT_MGMT_PORT (25682), FAULT_RABBIT_NODE (webhooksfault@localhost),
# FAULT_RECEIVER_PORT (5380), FAULT_PROCESSOR_PORT (5381).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$REPO"

CLUSTER=0
[[ "${1:-}" == --cluster ]] && CLUSTER=1
FAULT_TIMEOUT="${FAULT_TIMEOUT:-$((CLUSTER ? 480 : 300))}"
# The hard bound: the run is its own process group under timeout(1), which signals the whole group.
if [[ -z "${FAULT_INNER:-}" ]]; then
    export FAULT_INNER=1 FAULT_STARTED_AT="$EPOCHSECONDS"
    set +e
    timeout -k 20 "$FAULT_TIMEOUT" bash "$REPO/deploy/local/fault-injection.sh" "$@"
    rc=$?
    set -e
    if ((rc == 124 || rc == 137)); then
        echo "[fault] FAILED: hard timeout of ${FAULT_TIMEOUT} s reached" >&2
    fi
    exit "$rc"
fi

ORDERS="${FAULT_ORDERS:-$((CLUSTER ? 1200 : 1650))}"
RATE="${FAULT_RATE:-55}"
CONCURRENCY="${FAULT_CONCURRENCY:-16}"
DUPLICATES="${FAULT_DUPLICATES:-0.2}"
DISPUTES="${FAULT_DISPUTES:-0.1}"
SEED="${FAULT_SEED:-$((RANDOM % 100000 + 1))}"
RECEIVER_URLS=("http://127.0.0.1:${FAULT_RECEIVER_PORT:-5380}")
PROCESSOR_URLS=("http://127.0.0.1:${FAULT_PROCESSOR_PORT:-5381}")
if ((CLUSTER)); then
    RECEIVER_URLS+=("http://127.0.0.1:${FAULT_RECEIVER2_PORT:-5382}")
    PROCESSOR_URLS+=("http://127.0.0.1:${FAULT_PROCESSOR2_PORT:-5383}")
fi

# Ports below Linux's ephemeral range (32768-60999): while the broker or the database is down,
# any outgoing loopback connection (a client reconnecting, or any other on the machine) may be
# given the listening port as its own source port, and start_app then fails with eaddrinuse.
# Seen with 56920: "could_not_start_listener ... 56920 ... eaddrinuse" after stop_app.
export WEBHOOKS_STATE_DIR="${FAULT_STATE_DIR:-/tmp/webhooks-fault}"
export WEBHOOKS_PG_PORT="${FAULT_PG_PORT:-25632}"
export WEBHOOKS_RABBIT_PORT="${FAULT_RABBIT_PORT:-25672}"
export WEBHOOKS_RABBIT_DIST_PORT="${FAULT_RABBIT_DIST_PORT:-25692}"
export WEBHOOKS_RABBIT_MGMT_PORT="${FAULT_RABBIT_MGMT_PORT:-25682}"
export WEBHOOKS_RABBIT_NODE="${FAULT_RABBIT_NODE:-webhooksfault@localhost}"
SERVICES="$REPO/deploy/local/services.sh"
if ((CLUSTER)); then
    # FAULT_CLUSTER_<X> (or the default here) becomes cluster.sh's WEBHOOKS_CLUSTER_<X>.
    for setting in STATE_DIR=/tmp/webhooks-fault-cluster "PG_PORTS=25532 25533" "RABBIT_PORTS=25721 25722 25723" \
        "RABBIT_DIST_PORTS=25731 25732 25733" "RABBIT_MGMT_PORTS=25741 25742 25743" RABBIT_NODE_PREFIX=webhooksfaultcluster; do
        given="FAULT_CLUSTER_${setting%%=*}"
        export "WEBHOOKS_CLUSTER_${setting%%=*}=${!given:-${setting#*=}}"
    done
    export WEBHOOKS_STATE_DIR="$WEBHOOKS_CLUSTER_STATE_DIR" WEBHOOKS_PG_PORT="${WEBHOOKS_CLUSTER_PG_PORTS%% *}"
    export WEBHOOKS_RABBIT_PORT="${WEBHOOKS_CLUSTER_RABBIT_PORTS%% *}" WEBHOOKS_RABBIT_NODE="$WEBHOOKS_CLUSTER_RABBIT_NODE_PREFIX-a@localhost"
    SERVICES="$REPO/deploy/local/cluster.sh"
fi
STATE="$WEBHOOKS_STATE_DIR"
LOGS="$STATE/logs"
REPORT="$STATE/simulate-report.json"
QUEUE=payment-event-received

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export ASPNETCORE_ENVIRONMENT=Development

t0="${FAULT_STARTED_AT:-$EPOCHSECONDS}"
log() { printf '[fault %3ds] %s\n' "$(($EPOCHSECONDS - t0))" "$*"; }
die() { log "ERROR: $*"; exit 1; }

receiver_pids=() processor_pids=() simulate_pid=""
services_started=0

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    # Only what this script started, by pid.
    for pid in "$simulate_pid" "${receiver_pids[@]}" "${processor_pids[@]}"; do
        [[ -n "$pid" ]] && kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "$simulate_pid" "${receiver_pids[@]}" "${processor_pids[@]}"; do
        [[ -n "$pid" ]] && wait "$pid" 2>/dev/null || true
    done
    if ((services_started)); then
        "$SERVICES" stop >/dev/null 2>&1 || true
    fi
    [[ -d "$LOGS" ]] && log "logs: $LOGS"
    exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated (hard timeout?)"; exit 124' TERM

# ------------------------------------------------------------------------------ services

log "own services ($(basename "$SERVICES")): state $STATE, postgres 127.0.0.1:$WEBHOOKS_PG_PORT, rabbitmq 127.0.0.1:$WEBHOOKS_RABBIT_PORT (node $WEBHOOKS_RABBIT_NODE)"
# A fresh start every run: what an earlier run left (queues, rows) must not count in this one.
"$SERVICES" stop >/dev/null 2>&1 || true
rm -rf "$STATE"
services_started=1
"$SERVICES" start 2>&1 | sed 's/^/    /'
eval "$("$SERVICES" env)"
mkdir -p "$LOGS"

PG_DATA="$STATE/pg/data"
PG_URL="postgresql://webhooks:webhooks@127.0.0.1:$WEBHOOKS_PG_PORT/webhooks"
if ((CLUSTER)); then
    # Whichever server is the primary now (libpq's multi-host form).
    PG_DATA="$STATE/pg-a/data"
    PG_URL="postgresql://webhooks:webhooks@127.0.0.1:${WEBHOOKS_CLUSTER_PG_PORTS// /,127.0.0.1:}/webhooks?target_session_attrs=read-write"
fi
PG_BIN="/usr/lib/postgresql/$(cat "$PG_DATA/PG_VERSION")/bin"
sql() { "$PG_BIN/psql" "$PG_URL" -qAtX -v ON_ERROR_STOP=1 "$@"; }

# ------------------------------------------------------------------------------ build

# The three programs only (not the tests): after deploy/local/test.sh this is a quick incremental build.
log "building Release (receiver, processor, CLI)"
for project in Webhooks.Receiver Webhooks.Processor Webhooks.Cli; do
    if ! dotnet build "$project/$project.csproj" -c Release -v quiet -nologo -nodeReuse:false >>"$LOGS/build.log" 2>&1; then
        grep -E ': error ' "$LOGS/build.log" | sort -u | head -n 20 || true
        die "build of $project failed (log: $LOGS/build.log)"
    fi
done
RECEIVER_DLL="$REPO/Webhooks.Receiver/bin/Release/net10.0/Webhooks.Receiver.dll"
PROCESSOR_DLL="$REPO/Webhooks.Processor/bin/Release/net10.0/Webhooks.Processor.dll"
CLI_DLL="$REPO/Webhooks.Cli/bin/Release/net10.0/Webhooks.Cli.dll"

# ------------------------------------------------------------------------------ services under test

# exec: the pid is dotnet's own, so SIGKILL hits the service and nothing else. An instance's number
# (1 when omitted) picks its URL; the second one logs to receiver-2.log or processor-2.log.
start_receiver() {
    local n="${1:-1}"
    (cd "$REPO/Webhooks.Receiver" && exec dotnet "$RECEIVER_DLL" --urls "${RECEIVER_URLS[n - 1]}") >>"$LOGS/receiver$( ((n == 1)) || echo "-$n").log" 2>&1 </dev/null &
    receiver_pids[n - 1]=$!
    log "receiver $n started (pid $!) on ${RECEIVER_URLS[n - 1]}"
}
start_processor() {
    local n="${1:-1}"
    (cd "$REPO/Webhooks.Processor" && exec dotnet "$PROCESSOR_DLL" --urls "${PROCESSOR_URLS[n - 1]}") >>"$LOGS/processor$( ((n == 1)) || echo "-$n").log" 2>&1 </dev/null &
    processor_pids[n - 1]=$!
    log "processor $n started (pid $!) on ${PROCESSOR_URLS[n - 1]}"
}
kill9() {
    local name="$1" pid="$2"
    kill -KILL "$pid" 2>/dev/null || log "WARNING: $name (pid $pid) was not running"
    wait "$pid" 2>/dev/null || true
    log "SIGKILL $name (pid $pid)"
}
await_ready() {
    local name="$1" url="$2" i
    for ((i = 0; i < 60; i++)); do
        curl -fsS -o /dev/null --max-time 2 "$url/health/ready" 2>/dev/null && return 0
        sleep 1
    done
    die "$name not ready at $url/health/ready after 60 s (log: $LOGS/$name.log)"
}
rabbitmqctl() { "$WEBHOOKS_RABBITMQCTL" "$@"; }
if ((CLUSTER)); then
    # Any node that answers: the first one may be the one killed.
    rabbitmqctl() {
        local ctl
        for ctl in "$STATE"/bin/rabbitmqctl-*; do
            "$ctl" "$@" 2>/dev/null && return 0
        done
        return 1
    }
fi
pg_restart() {
    # As services.sh runs it: the postgres user, from a folder it can enter; output to its log.
    (cd "$STATE/pg" && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$STATE/pg/log/postgres.log" \
        -m fast -w -t 60 restart) >/dev/null 2>&1 </dev/null
}

for n in "${!RECEIVER_URLS[@]}"; do start_receiver $((n + 1)); done
for n in "${!PROCESSOR_URLS[@]}"; do start_processor $((n + 1)); done
for n in "${!RECEIVER_URLS[@]}"; do await_ready receiver "${RECEIVER_URLS[n]}"; done
for n in "${!PROCESSOR_URLS[@]}"; do await_ready processor "${PROCESSOR_URLS[n]}"; done

# ------------------------------------------------------------------------------ traffic and faults

# The node that leads the event queue, asked before the traffic: rabbitmqctl takes seconds on a busy
# machine, and the leader moves only when a node goes.
leader=""
if ((CLUSTER)); then
    leader="$("$SERVICES" leader "$QUEUE")" || die "no RabbitMQ node named the leader of $QUEUE"
    log "the event queue's leader: node $leader"
fi
rabbit_restart_pid=""

log "simulate: $ORDERS orders, rate $RATE/s, concurrency $CONCURRENCY, duplicates $DUPLICATES, disputes $DISPUTES, seed $SEED"
receivers="${RECEIVER_URLS[*]}"
dotnet "$CLI_DLL" simulate --url "${receivers// /,}" --provider stripe --secret whsec_development_only_not_a_real_secret \
    --orders "$ORDERS" --rate "$RATE" --concurrency "$CONCURRENCY" --duplicates "$DUPLICATES" --disputes "$DISPUTES" --shuffle true \
    --max-retries 7 --retry-delay 0.5s --seed "$SEED" --report-file "$REPORT" \
    >"$LOGS/simulate.log" 2>&1 </dev/null &
simulate_pid=$!
sim_start=$EPOCHSECONDS

at() {  # wait until t+N s of the simulation
    local when=$((sim_start + $1))
    while (($EPOCHSECONDS < when)); do sleep 0.5; done
}
simulating() { kill -0 "$simulate_pid" 2>/dev/null; }
# Requests to the receiver that are open right now, as the kernel sees its sockets.
in_flight() { { ss -Htn state established "( sport = :${RECEIVER_URLS[0]##*:} )" 2>/dev/null || true; } | wc -l; }

faults=()
fault() { faults+=("$(printf '%-6s %s' "t+$(($EPOCHSECONDS - sim_start))s" "$*")"); log "$*"; }

# SIGKILL receiver 1 at a moment with requests being answered (waiting briefly for one), so that some are cut.
kill_receiver_mid_request() {
    simulating || log "WARNING: the simulator has finished already: the receiver dies without traffic"
    for ((i = 0; i < 20; i++)); do (($(in_flight) > 0)) && break; sleep 0.1; done
    local open
    open=$(in_flight)
    kill9 receiver "${receiver_pids[0]}"; fault "receiver SIGKILL ($open open connections to it)"
}

cluster_faults() {
    at 15; "$SERVICES" kill-rabbit "$leader"; fault "rabbitmq node $leader (leader of $QUEUE) SIGKILL"

    at 25; kill9 processor "${processor_pids[0]}"; fault "processor 1 SIGKILL"
    sleep 3; start_processor 1; fault "processor 1 started again"

    at 40; "$SERVICES" kill-pg a; fault "postgres primary (pg-a) SIGKILL"
    sleep 3; "$SERVICES" promote || die "the standby was not promoted"
    fault "postgres standby (pg-b) promoted, synchronous_standby_names cleared"

    # In the background, so that the schedule goes on while the node boots and rejoins.
    at 55; fault "rabbitmq node $leader starting again ..."
    ("$SERVICES" start-rabbit "$leader" >>"$LOGS/cluster.log" 2>&1 && echo "$((EPOCHSECONDS - sim_start))" >"$STATE/rabbit-back") &
    rabbit_restart_pid=$!

    at 70; kill_receiver_mid_request
    sleep 3; start_receiver 1; fault "receiver 1 started again"
}

if ((CLUSTER)); then
    cluster_faults
else
# The single-node schedule.
at 15; kill9 processor "${processor_pids[0]}"; fault "processor SIGKILL"
sleep 3; start_processor; fault "processor started again"

at 30; fault "rabbitmq stop_app ..."
rabbitmqctl -q stop_app >/dev/null || die "rabbitmqctl stop_app failed"
fault "rabbitmq stopped"
sleep 10
rabbitmqctl -q start_app >/dev/null || die "rabbitmqctl start_app failed"
fault "rabbitmq started again (start_app)"

at 60; fault "postgres restart (pg_ctl restart -m fast) ..."
pg_restart || die "postgres did not restart"
fault "postgres up again"

at 75; kill_receiver_mid_request
sleep 3; start_receiver; fault "receiver started again"

at 95; kill9 processor "${processor_pids[0]}"; fault "processor SIGKILL (second)"
sleep 3; start_processor; fault "processor started again"
fi


# ------------------------------------------------------------------------------ drain

set +e
wait "$simulate_pid"
simulate_rc=$?
set -e
simulate_pid=""
if [[ -n "$rabbit_restart_pid" ]]; then
    wait "$rabbit_restart_pid" || die "rabbitmq node $leader did not start again (log: $LOGS/cluster.log)"
    faults+=("$(printf '%-6s %s' "t+$(cat "$STATE/rabbit-back")s" "rabbitmq node $leader back in the cluster")")
fi
log "simulate finished after $(($EPOCHSECONDS - sim_start)) s (exit $simulate_rc)"
[[ -s "$REPORT" ]] || { tail -n 20 "$LOGS/simulate.log"; die "the simulator wrote no report"; }

queue_depth() {  # messages in a queue (ready + unacknowledged); 0 when it does not exist
    rabbitmqctl -q list_queues name messages 2>/dev/null | awk -v q="$1" '$1 == q { n = $2 } END { print n + 0 }'
}
outbox_rows() { sql -c "SELECT count(*) FROM event_outbox"; }
# Dispute alerts recorded but not yet posted (here: written to the processor's log, as no Slack is set).
due_alerts() { sql -c "SELECT count(*) FROM dispute_alerts WHERE notified_at IS NULL"; }
unprocessed() {
    sql -c "SELECT count(*) FROM webhook_events e WHERE NOT EXISTS
              (SELECT 1 FROM processed_events p WHERE p.provider = e.provider AND p.event_id = e.event_id)"
}

# Bounded: the receiver's lease on a killed receiver's rows (Outbox__FastLaneLease, 30 s) plus
# relay back-off, well within the rest of the hard timeout.
drain_deadline=$(($EPOCHSECONDS + ${FAULT_DRAIN_SECONDS:-90}))
while :; do
    o=$(outbox_rows 2>/dev/null || echo "?") u=$(unprocessed 2>/dev/null || echo "?") q=$(queue_depth "$QUEUE")
    a=$(due_alerts 2>/dev/null || echo "?")
    if [[ "$o" == 0 && "$u" == 0 && "$q" == 0 && "$a" == 0 ]]; then
        log "drained: outbox 0, unprocessed 0, queue 0, dispute alerts due 0"
        break
    fi
    if (($EPOCHSECONDS > drain_deadline)); then
        log "not drained in time: outbox $o, unprocessed $u, queue $q, dispute alerts due $a"
        break
    fi
    sleep 2
done
drain_seconds=$(($EPOCHSECONDS - sim_start))

# ------------------------------------------------------------------------------ checks

# The simulator's record into temporary tables: deliveries (event id, outcome) and orders.
jq -r '.deliveries[] | [.eventId, .outcome, (.answers | length),
    (.answers | map(select(startswith("no answer"))) | length),
    (.answers | map(select(startswith("no answer") and (test("refused"; "i") | not))) | length)] | @csv' \
    "$REPORT" >"$STATE/deliveries.csv"
jq -r '.orders[] | [.orderId, .expectedStatus, .expectedDispute, .amount, .currency, .expectedAmountRefunded] | @csv' \
    "$REPORT" >"$STATE/orders.csv"

results="$(sql <<SQL
CREATE TEMP TABLE sim_deliveries (event_id text, outcome text, attempts int, no_answer int, cut int);
CREATE TEMP TABLE sim_orders (order_id text, expected text, expected_dispute text, amount bigint, currency text, refunded bigint);
\copy sim_deliveries FROM '$STATE/deliveries.csv' WITH (FORMAT csv)
\copy sim_orders FROM '$STATE/orders.csv' WITH (FORMAT csv)
CREATE TEMP TABLE ok_ids AS
  SELECT DISTINCT event_id FROM sim_deliveries WHERE outcome IN ('accepted', 'duplicate', 'otherSuccess');
SELECT 'ok_ids',        count(*) FROM ok_ids;
SELECT 'ok_stored_once', count(*) FROM ok_ids i
  WHERE (SELECT count(*) FROM webhook_events e WHERE e.provider = 'stripe' AND e.event_id = i.event_id) = 1;
SELECT 'dup_keys',      count(*) FROM (SELECT 1 FROM webhook_events GROUP BY provider, event_id HAVING count(*) > 1) d;
SELECT 'orders',        count(*) FROM sim_orders;
SELECT 'orders_right',  count(*) FROM sim_orders s JOIN orders o USING (order_id) WHERE o.status = s.expected;
SELECT 'orders_wrong',  coalesce(string_agg(s.order_id || ' ' || coalesce(o.status, 'missing') || '≠' || s.expected, ', '), '')
  FROM sim_orders s LEFT JOIN orders o USING (order_id) WHERE o.status IS DISTINCT FROM s.expected;
SELECT 'disputes',      count(*) FROM sim_orders WHERE expected_dispute IS NOT NULL;
SELECT 'disputes_right', count(*) FROM sim_orders s LEFT JOIN order_latest_disputes d USING (order_id)
  WHERE d.status IS NOT DISTINCT FROM s.expected_dispute;
SELECT 'disputes_wrong',
  coalesce(string_agg(s.order_id || ' dispute ' || coalesce(d.status, 'none') || '≠' || coalesce(s.expected_dispute, 'none'), ', '), '')
  FROM sim_orders s LEFT JOIN order_latest_disputes d USING (order_id) WHERE d.status IS DISTINCT FROM s.expected_dispute;
SELECT 'amounts_right', count(*) FROM sim_orders s JOIN orders o USING (order_id)
  WHERE o.amount = s.amount AND o.currency = s.currency AND o.amount_refunded = s.refunded;
SELECT 'waiting',       count(*) FROM waiting_events;
SELECT 'dispute_alerts', count(*) FROM dispute_alerts;
SELECT 'dispute_alerts_due', count(*) FROM dispute_alerts WHERE notified_at IS NULL;
SELECT 'outbox',        count(*) FROM event_outbox;
SELECT 'stored',        count(*) FROM webhook_events;
SELECT 'processed',     count(*) FROM webhook_events e WHERE EXISTS
  (SELECT 1 FROM processed_events p WHERE p.provider = e.provider AND p.event_id = e.event_id);
SELECT 'stored_not_ok', count(*) FROM webhook_events e WHERE NOT EXISTS (SELECT 1 FROM ok_ids i WHERE i.event_id = e.event_id);
SELECT 'deliveries',    count(*) FROM sim_deliveries;
SELECT 'accepted',      count(*) FROM sim_deliveries WHERE outcome = 'accepted';
SELECT 'duplicate',     count(*) FROM sim_deliveries WHERE outcome = 'duplicate';
SELECT 'retried',       count(*) FROM sim_deliveries WHERE attempts > 1;
SELECT 'no_answer',     coalesce(sum(no_answer), 0) FROM sim_deliveries;
SELECT 'cut',           coalesce(sum(cut), 0) FROM sim_deliveries;
SELECT 'given_up',      count(*) FROM sim_deliveries WHERE outcome = 'givenUp';
SQL
)" || die "the checks' queries failed"
val() { awk -F'|' -v k="$1" '$1 == k { print $2 }' <<<"$results"; }

error_depth=$(queue_depth "${QUEUE}_error")
skipped_depth=$(queue_depth "${QUEUE}_skipped")
events=$(jq '.summary.events' "$REPORT")
copies=$(jq '.summary.duplicatesSent' "$REPORT")

failed=0
rows=()
check() {  # name expected actual
    local ok=yes
    [[ "$2" == "$3" ]] || { ok=NO; failed=$((failed + 1)); }
    rows+=("$1|$2|$3|$ok")
}
check "1. every event that got a 200 is stored exactly once" "$(val ok_ids) ids" "$(val ok_stored_once) ids"
check "   no (provider, event id) stored twice" "0" "$(val dup_keys)"
check "2. every order in its right final state" "$(val orders) orders" "$(val orders_right) orders"
check "   every order's dispute as planned (none, open, won, lost)" "$(val orders) orders" "$(val disputes_right) orders"
check "   amount, currency and amount refunded, to the minor unit" "$(val orders) orders" "$(val amounts_right) orders"
check "   no event still waiting for its payment intent's order" "0" "$(val waiting)"
check "   every dispute alert posted (to the log: no Slack here)" "0" "$(val dispute_alerts_due)"
check "3. nothing dead-lettered (${QUEUE}_error)" "0" "$error_depth"
check "   nothing skipped (${QUEUE}_skipped)" "0" "$skipped_depth"
check "4. outbox empty" "0" "$(val outbox)"
check "   every stored event processed" "$(val stored) events" "$(val processed) events"
check "5. the gateway gave up on no delivery" "0" "$(val given_up)"

print_table() {
    local w1=0 w2=8 w3=6 r a b c d
    for r in "$@"; do
        IFS='|' read -r a b c d <<<"$r"
        ((${#a} > w1)) && w1=${#a}; ((${#b} > w2)) && w2=${#b}; ((${#c} > w3)) && w3=${#c}
    done
    printf "| %-${w1}s | %-${w2}s | %-${w3}s | %-3s |\n" check expected actual ok
    printf "|%s|%s|%s|%s|\n" "$(printf -- '-%.0s' $(seq $((w1 + 2))))" "$(printf -- '-%.0s' $(seq $((w2 + 2))))" \
        "$(printf -- '-%.0s' $(seq $((w3 + 2))))" "-----"
    for r in "$@"; do
        IFS='|' read -r a b c d <<<"$r"
        printf "| %-${w1}s | %-${w2}s | %-${w3}s | %-3s |\n" "$a" "$b" "$c" "$d"
    done
}

echo
echo "Faults (seconds from the simulator's start):"
printf '%s\n' "${faults[@]}" | sort -s -k1.3n | sed 's/^/  /'  # by time: a background step reports late
echo
echo "Checks:"
print_table "${rows[@]}"
echo
echo "Totals: events $events (distinct), deliveries sent $(val deliveries) ($copies second copies), accepted $(val accepted), duplicates $(val duplicate),"
echo "        retried $(val retried), attempts with no answer $(val no_answer) ($(val cut) of them cut short, not refused), given up $(val given_up);" \
    "stored $(val stored), of which without a 200 $(val stored_not_ok); simulator exit $simulate_rc, seed $SEED"
disputes_planned=$(jq -r '.summary.expectedDisputes | to_entries | map("\(.value) \(.key)") | join(", ")' "$REPORT")
statuses_planned=$(jq -r '.summary.expectedStatuses | to_entries | map(select(.value > 0) | "\(.value) \(.key)") | join(", ")' "$REPORT")
echo "Payments: statuses $statuses_planned; $(val disputes) disputes ($disputes_planned), $(val dispute_alerts) dispute alerts"
echo "Timing: traffic and drain $drain_seconds s, whole run $(($EPOCHSECONDS - t0)) s"
if [[ -n "$(val orders_wrong)" ]]; then
    echo "Orders not in their expected state (first 20):"
    tr ',' '\n' <<<"$(val orders_wrong)" | head -n 20 | sed 's/^ */  /'
fi
if [[ -n "$(val disputes_wrong)" ]]; then
    echo "Orders whose dispute is not as planned (first 20):"
    tr ',' '\n' <<<"$(val disputes_wrong)" | head -n 20 | sed 's/^ */  /'
fi
echo
if ((failed)); then
    echo "fault injection: FAILED ($failed check(s))"
    exit 1
fi
echo "fault injection: passed"
