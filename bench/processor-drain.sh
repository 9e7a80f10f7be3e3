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
# from the process start, the CPU per event of the processor (start-up included) and of PostgreSQL
# (every backend on the machine), the mean events per commit, and the orders by final status.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"

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
PG_PORT="$(sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$ConnectionStrings__Postgres")"
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

dotnet "$BENCH_DLL" template "$REPO/Webhooks.Tests/Fixtures/Stripe" "$WORK/template.json"
RUN_ID="$(date +%s)"
log "publishing $EVENTS events"
dotnet "$BENCH_DLL" backlog "$WORK/template.json" "$RUN_ID" "$EVENTS" "$PER_ORDER" >&2

# CPU ticks of every process whose command name is $1 (the postgres backends).
ticks_of_command() { { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v name="($1)" '$2 == name { t += $14 + $15 } END { print t + 0 }'; }

log "draining"
pg_before="$(ticks_of_command postgres)"
started="$(date +%s.%N)"
start_processor
done_count=0
for _ in $(seq 1 1200); do
    sleep 0.5
    done_count="$(psql_admin "SELECT count(*) FROM $SCHEMA.processed_events")"
    [ "$done_count" -ge "$EVENTS" ] && break
done
finished="$(date +%s.%N)"
cpu_ticks="$(awk '{ print $14 + $15 }' "/proc/$PROCESSOR_PID/stat")"
pg_ticks=$(( $(ticks_of_command postgres) - pg_before ))
[ "$pg_ticks" -ge 0 ] || pg_ticks=0
per_commit="$(curl -sf "http://127.0.0.1:$PORT/metrics" | awk '/^webhooks_apply_batch_size_sum/ { s = $2 } /^webhooks_apply_batch_size_count/ { c = $2 } END { if (c) printf "%.1f", s / c; else print "n/a" }' || echo n/a)"
stop_processor

span="$(psql_admin "SELECT extract(epoch FROM max(processed_at) - min(processed_at)) FROM $SCHEMA.processed_events")"
statuses="$(psql_admin "SELECT string_agg(status || ' ' || n, ', ' ORDER BY status) FROM (SELECT status, count(*) AS n FROM $SCHEMA.orders GROUP BY status) s")"
dead="$("$WEBHOOKS_RABBITMQCTL" list_queues name messages 2>/dev/null | awk -v q="${QUEUE}_error" '$1 == q { print $2 }')"
settings="$(env | grep '^Processor__' | tr '\n' ' ' || true)"
awk -v n="$done_count" -v want="$EVENTS" -v span="$span" -v wall="$(awk -v a="$started" -v b="$finished" 'BEGIN { print b - a }')" \
    -v ticks="$cpu_ticks" -v pg="$pg_ticks" -v per_commit="$per_commit" -v hz="$(getconf CLK_TCK)" -v statuses="$statuses" -v dead="${dead:-0}" -v settings="${settings:-defaults}" 'BEGIN {
    printf "processor drain (%s): %d of %d events recorded; %.0f events/s first to last (%.1f s); %.1f s wall from process start; CPU us/event: processor %.0f, PostgreSQL %.0f; events per commit %s; orders: %s; dead-lettered: %s\n",
        settings, n, want, (span > 0 ? n / span : 0), span, wall, n ? ticks / hz * 1e6 / n : 0, n ? pg / hz * 1e6 / n : 0, per_commit, statuses, dead
}'
[ "$done_count" -ge "$EVENTS" ] || { log "not drained; processor log:"; tail -20 "$WORK/processor.log" >&2; exit 1; }
psql_admin "DROP SCHEMA IF EXISTS $SCHEMA CASCADE"
