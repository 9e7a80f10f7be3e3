#!/usr/bin/env bash
# The consume pipeline's own cost, before any work: for each way of consuming, fills a queue with
# --messages real-shaped events (published as the receiver publishes them) and drains it with a
# consumer that does nothing, then prints messages/s and the CPU per message of the consumer and of
# this RabbitMQ node, from the first message to the last.
#   raw    - RabbitMQ.Client, manual acknowledgements: the floor under any consumer
#   single - MassTransit, one message per consume, the processor's endpoint settings
#   batch  - MassTransit's Batch<T> consumer (batches of Processor__ApplyBatchSize's default)
#
#   bench/consume-pipeline.sh [--messages N] [--rounds R]
#
# WEBHOOKS_SERVICES names another checkout's services.sh, to share its running services.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"

MESSAGES=40000
ROUNDS=1
while [ $# -gt 0 ]; do
    case "$1" in
        --messages) MESSAGES="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

log() { printf '[consume] %s\n' "$*" >&2; }

SERVICES="${WEBHOOKS_SERVICES:-$REPO/deploy/local/services.sh}"
"$SERVICES" start >/dev/null
eval "$("$SERVICES" env)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
MQ_PORT="$(amqp_ports "$ConnectionStrings__RabbitMq" | head -n 1)"

log "building (Release)"
dotnet build Webhooks.Benchmarks -c Release -v quiet -nologo >/dev/null
BENCH_DLL="$REPO/Webhooks.Benchmarks/bin/Release/net10.0/Webhooks.Benchmarks.dll"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
dotnet "$BENCH_DLL" template "$REPO/Webhooks.Cli/Simulation/Fixtures/Stripe" "$WORK/template.json"

EXCHANGE=bench-consume-events
for round in $(seq 1 "$ROUNDS"); do
    for mode in raw single batch; do
        queue="bench-consume-$mode"
        "$WEBHOOKS_RABBITMQCTL" delete_queue "$queue" >/dev/null 2>&1 || true
        dotnet "$BENCH_DLL" consume declare "$EXCHANGE" "$queue" 0
        Broker__EventExchange="$EXCHANGE" dotnet "$BENCH_DLL" backlog "$WORK/template.json" "$(date +%s)$mode" "$MESSAGES" 4 >/dev/null
        mq_before="$(instance_ticks "$MQ_PORT")"
        line="$(dotnet "$BENCH_DLL" consume "$mode" "$EXCHANGE" "$queue" "$MESSAGES")"
        mq_ticks=$(( $(instance_ticks "$MQ_PORT") - mq_before ))
        echo "round $round, $line; RabbitMQ $(us_per "$mq_ticks" "$MESSAGES") µs each (start-up included)"
        # Deleted before the next mode fills its own, so that no other queue is bound to the exchange.
        "$WEBHOOKS_RABBITMQCTL" delete_queue "$queue" >/dev/null 2>&1 || true
    done
done
