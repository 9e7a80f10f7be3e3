#!/usr/bin/env bash
# The processor alone: how fast it drains a backlog. Fills its queue with --events messages while
# it is stopped (orders of --events-per-order events each: created, failed, paid, refunded), then
# starts it and times until every event is recorded in processed_events.
#
#   bench/processor-drain.sh [--events N] [--events-per-order K]
#
# Processor__* settings in the environment reach the processor (e.g. Processor__ApplyBatchSize=1).
# WEBHOOKS_SERVICES names another checkout's services.sh, to share its running services (a git
# worktree would otherwise start an instance of its own, on the same ports).
# Prints events/s from the first to the last recorded event (start-up excluded), the wall time
# from the process start, the CPU per event of the processor, of this PostgreSQL instance and of
# this RabbitMQ node from the first recorded event to the last (start-up excluded), the mean events
# per commit, and the orders by final status.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

EVENTS=20000
PER_ORDER=4
while [ $# -gt 0 ]; do
    case "$1" in
        --events) EVENTS="$2"; shift 2 ;;
        --events-per-order) PER_ORDER="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

log() { printf '[drain] %s\n' "$*" >&2; }

SERVICES="${WEBHOOKS_SERVICES:-$REPO/deploy/local/services.sh}"
"$SERVICES" start >/dev/null
eval "$("$SERVICES" env)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

log "building (Release)"
dotnet build Webhooks.Processor -c Release -v quiet -nologo >/dev/null
dotnet build Webhooks.Benchmarks -c Release -v quiet -nologo >/dev/null
BENCH_DLL="$REPO/Webhooks.Benchmarks/bin/Release/net10.0/Webhooks.Benchmarks.dll"
PROCESSOR_DLL="$REPO/Webhooks.Processor/bin/Release/net10.0/Webhooks.Processor.dll"

SCHEMA=bench_drain
QUEUE=bench-drain
export Broker__EventExchange=bench-drain-events
PG_PORT="$(pg_ports "$ConnectionStrings__Postgres" | head -n 1)"
MQ_PORT="$(amqp_ports "$ConnectionStrings__RabbitMq" | head -n 1)"
psql_admin() { PGOPTIONS='-c client_min_messages=warning' PGPASSWORD=webhooks psql -qAt -h 127.0.0.1 -p "$PG_PORT" -U webhooks -d webhooks -v ON_ERROR_STOP=1 -c "$1"; }
PG="${ConnectionStrings__Postgres};Search Path=$SCHEMA"
PORT=5990
WORK="$(mktemp -d)"
PROCESSOR_PID=""
cleanup() {
    [ -n "$PROCESSOR_PID" ] && kill "$PROCESSOR_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

start_processor() {
    ConnectionStrings__Postgres="$PG" Processor__QueueName="$QUEUE" Logging__LogLevel__Default=Warning \
        ASPNETCORE_ENVIRONMENT=Production dotnet "$PROCESSOR_DLL" --urls "http://127.0.0.1:$PORT" >>"$WORK/processor.log" 2>&1 &
    PROCESSOR_PID=$!
}

stop_processor() {
    kill "$PROCESSOR_PID" 2>/dev/null || true
    wait "$PROCESSOR_PID" 2>/dev/null || true
    PROCESSOR_PID=""
}

psql_admin "DROP SCHEMA IF EXISTS $SCHEMA CASCADE; CREATE SCHEMA $SCHEMA;"
log "declaring the queue (the processor starts once and stops)"
start_processor
for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/health/ready" && break
    sleep 0.5
done
stop_processor
"$WEBHOOKS_RABBITMQCTL" purge_queue "$QUEUE" >/dev/null

dotnet "$BENCH_DLL" template "$REPO/Webhooks.Cli/Simulation/Fixtures/Stripe" "$WORK/template.json"
RUN_ID="$(date +%s)"
log "publishing $EVENTS events"
dotnet "$BENCH_DLL" backlog "$WORK/template.json" "$RUN_ID" "$EVENTS" "$PER_ORDER" >&2

log "draining"
started="$(date +%s.%N)"
start_processor
done_count=0
first_count=""
for _ in $(seq 1 2400); do
    sleep 0.25
    done_count="$(psql_admin "SELECT count(*) FROM $SCHEMA.processed_events")"
    if [ -z "$first_count" ] && [ "$done_count" -gt 0 ]; then
        # The steady state starts with the first recorded event: the process's start-up is behind it.
        first_count="$done_count"
        cpu_first="$(cpu_ticks_of "$PROCESSOR_PID")" pg_first="$(instance_ticks "$PG_PORT")" mq_first="$(instance_ticks "$MQ_PORT")"
    fi
    [ "$done_count" -ge "$EVENTS" ] && break
done
finished="$(date +%s.%N)"
measured=$((done_count - ${first_count:-0}))
cpu_ticks=$(( $(cpu_ticks_of "$PROCESSOR_PID") - ${cpu_first:-0} ))
pg_ticks=$(( $(instance_ticks "$PG_PORT") - ${pg_first:-0} ))
mq_ticks=$(( $(instance_ticks "$MQ_PORT") - ${mq_first:-0} ))
[ "$pg_ticks" -ge 0 ] || pg_ticks=0
per_commit="$(curl -sf "http://127.0.0.1:$PORT/metrics" | awk '/^webhooks_apply_batch_size_sum/ { s = $2 } /^webhooks_apply_batch_size_count/ { c = $2 } END { if (c) printf "%.1f", s / c; else print "n/a" }' || echo n/a)"
stop_processor

span="$(psql_admin "SELECT extract(epoch FROM max(processed_at) - min(processed_at)) FROM $SCHEMA.processed_events")"
statuses="$(psql_admin "SELECT string_agg(status || ' ' || n, ', ' ORDER BY status) FROM (SELECT status, count(*) AS n FROM $SCHEMA.orders GROUP BY status) s")"
dead="$("$WEBHOOKS_RABBITMQCTL" list_queues name messages 2>/dev/null | awk -v q="${QUEUE}_error" '$1 == q { print $2 }')"
settings="$(env | grep '^Processor__' | tr '\n' ' ' || true)"
awk -v n="$done_count" -v want="$EVENTS" -v span="$span" -v wall="$(awk -v a="$started" -v b="$finished" 'BEGIN { print b - a }')" \
    -v cpu="$(us_per "$cpu_ticks" "$measured")" -v pg="$(us_per "$pg_ticks" "$measured")" -v mq="$(us_per "$mq_ticks" "$measured")" \
    -v per_commit="$per_commit" -v statuses="$statuses" -v dead="${dead:-0}" -v settings="${settings:-defaults}" 'BEGIN {
    printf "processor drain (%s): %d of %d events recorded; %.0f events/s first to last (%.1f s); %.1f s wall from process start; CPU us/event after the first: processor %d, PostgreSQL %d, RabbitMQ %d; events per commit %s; orders: %s; dead-lettered: %s\n",
        settings, n, want, (span > 0 ? n / span : 0), span, wall, cpu, pg, mq, per_commit, statuses, dead
}'
[ "$done_count" -ge "$EVENTS" ] || { log "not drained; processor log:"; tail -20 "$WORK/processor.log" >&2; exit 1; }
psql_admin "DROP SCHEMA IF EXISTS $SCHEMA CASCADE"
