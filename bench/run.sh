#!/usr/bin/env bash
# The receiver benchmark: three servers measured side by side, in one run, on this machine, with
# the same load tool (wrk, from Debian's packages) and the same presigned, uniquely keyed,
# real-shaped Stripe events:
#   (a) bare  - Kestrel reads the body and checks the signature, nothing more (the ceiling);
#   (b) naive - per request one INSERT (its own commit) and one awaited, confirmed publish;
#   (c) ours  - the real receiver: group commit with synchronous_commit on, 200 after the commit,
#               outbox relay publishing with confirms.
# Then (c) again at half its maximum rate for the latency target.
#
#   bench/run.sh [--duration SECONDS] [--connections N] [--threads N] [--store-rows N]
#                [--e2e-seconds N] [--e2e-rate R] [--burst-seconds N] [--soak-seconds N]
#                [--warmup SECONDS] [--stages receiver,e2e,burst] [--out FILE]
#
# --stages: which parts to run (default all three); e2e and burst without receiver need --e2e-rate.
# --store-rows N: after measuring (c) on an empty store, fill it with N older events and measure
# (c) again, to show whether the cost stays flat as the store grows.
# --soak-seconds N: after the half-rate run, keep (c) at that rate for N seconds (600 for the
# issue's 10 minutes) and sample the receiver's resident memory every 10 s: is it flat?
# --warmup: seconds of load before each measured run (default 10), so that the JIT's tiers settle.
# End to end: the receiver and the processor together, a paced load for --e2e-seconds (default 60)
# at --e2e-rate events/s (default: half of (c)'s maximum); then events/s from POST to order update,
# the lag (received_at to processed_at) and whether a backlog was left, the lag's p99 minute by
# minute (is it flat?), and the CPU per event of receiver, processor, PostgreSQL and RabbitMQ.
# Burst: then the receiver at full speed for --burst-seconds (default 20) while the processor runs:
# how long after the burst's end is the last of its orders updated?
#
# --cluster: instead, the real receiver (c) only, on the single node of services.sh and then on the
# local cluster of deploy/local/cluster.sh (three RabbitMQ nodes with a quorum sink queue, PostgreSQL
# with a synchronous standby), back to back: the maximum rate and, at one paced rate for both (half
# the single node's maximum), p99; with the load average before each, as the machine is shared.
#
# Prints a table and writes it, with the machine's description, to bench/RESULTS.md (or --out).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$REPO"
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
stage() { [[ ",$STAGES," == *",$1,"* ]]; }

DURATION=20
CONNECTIONS=64
THREADS=1
OUT="$REPO/bench/RESULTS.md"
STORE_ROWS=0
E2E_SECONDS=60
E2E_RATE=0
SOAK_SECONDS=0
SOAK_LINE=""
WARMUP=10
BURST_SECONDS=20
STAGES="receiver,e2e,burst"
CLUSTER=0
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) DURATION="$2"; shift 2 ;;
        --connections) CONNECTIONS="$2"; shift 2 ;;
        --threads) THREADS="$2"; shift 2 ;;
        --store-rows) STORE_ROWS="$2"; shift 2 ;;
        --e2e-seconds) E2E_SECONDS="$2"; shift 2 ;;
        --e2e-rate) E2E_RATE="$2"; shift 2 ;;
        --soak-seconds) SOAK_SECONDS="$2"; shift 2 ;;
        --warmup) WARMUP="$2"; shift 2 ;;
        --burst-seconds) BURST_SECONDS="$2"; shift 2 ;;
        --stages) STAGES="$2"; shift 2 ;;
        --cluster) CLUSTER=1; shift ;;
        --out) OUT="$2"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

log() { printf '[bench] %s\n' "$*" >&2; }

command -v wrk >/dev/null || { log "installing wrk"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
SERVICES="${WEBHOOKS_SERVICES:-$REPO/deploy/local/services.sh}"
"$SERVICES" start
eval "$("$SERVICES" env)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
log "building (Release)"
dotnet build Webhooks.sln -c Release -v quiet -nologo >/dev/null
BENCH_DLL="$REPO/Webhooks.Benchmarks/bin/Release/net10.0/Webhooks.Benchmarks.dll"
RECEIVER_DLL="$REPO/Webhooks.Receiver/bin/Release/net10.0/Webhooks.Receiver.dll"
PROCESSOR_DLL="$REPO/Webhooks.Processor/bin/Release/net10.0/Webhooks.Processor.dll"
PROCESSOR_PID=""

export BENCH_SECRET="whsec_benchmark_only_$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export BENCH_TEMPLATE; BENCH_TEMPLATE="$(mktemp)"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    [ -n "$PROCESSOR_PID" ] && kill "$PROCESSOR_PID" 2>/dev/null || true
    rm -rf "$WORK" "$BENCH_TEMPLATE"
}
trap cleanup EXIT
dotnet "$BENCH_DLL" template "$REPO/Webhooks.Cli/Simulation/Fixtures/Stripe" "$BENCH_TEMPLATE"

PG_PORT="$(pg_ports "$ConnectionStrings__Postgres" | head -n 1)"
psql_admin() { PGPASSWORD=webhooks psql -qAt -h 127.0.0.1 -p "$PG_PORT" -U webhooks -d webhooks -v ON_ERROR_STOP=1 -c "$1"; }

machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; }
peak_rss_mb() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

start_server() { # name port
    local name="$1" port="$2" schema="bench_$1"
    psql_admin "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema;"
    local pg="${ConnectionStrings__Postgres};Search Path=$schema"
    case "$name" in
        e2e)
            ConnectionStrings__Postgres="$pg" Broker__EventExchange=bench-e2e-events Processor__QueueName=bench-e2e \
                Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
                dotnet "$PROCESSOR_DLL" --urls "http://127.0.0.1:$((port + 100))" >"$WORK/processor.log" 2>&1 &
            PROCESSOR_PID=$!
            for _ in $(seq 1 120); do
                curl -sf -o /dev/null "http://127.0.0.1:$((port + 100))/health/ready" && break
                sleep 0.5
            done
            ConnectionStrings__Postgres="$pg" Broker__EventExchange=bench-e2e-events \
                Webhooks__Providers__stripe__Scheme=stripe Webhooks__Providers__stripe__Secrets__0="$BENCH_SECRET" \
                Webhooks__Providers__stripe__ToleranceSeconds=3600 Logging__LogLevel__Default=Warning \
                ASPNETCORE_ENVIRONMENT=Production \
                dotnet "$RECEIVER_DLL" --urls "http://127.0.0.1:$port" >"$WORK/$name.log" 2>&1 & ;;
        bare)
            dotnet "$BENCH_DLL" bare --urls "http://127.0.0.1:$port" >"$WORK/$name.log" 2>&1 & ;;
        naive)
            dotnet "$BENCH_DLL" sink bench-naive-events bench-naive-sink
            ConnectionStrings__Postgres="$pg" Broker__EventExchange=bench-naive-events \
                dotnet "$BENCH_DLL" naive --urls "http://127.0.0.1:$port" >"$WORK/$name.log" 2>&1 & ;;
        ours)
            dotnet "$BENCH_DLL" sink bench-ours-events bench-ours-sink ${SINK_TYPE:-}
            ConnectionStrings__Postgres="$pg" Broker__EventExchange=bench-ours-events \
                Webhooks__Providers__stripe__Scheme=stripe Webhooks__Providers__stripe__Secrets__0="$BENCH_SECRET" \
                Webhooks__Providers__stripe__ToleranceSeconds=3600 Logging__LogLevel__Default=Warning \
                ASPNETCORE_ENVIRONMENT=Production \
                dotnet "$RECEIVER_DLL" --urls "http://127.0.0.1:$port" >"$WORK/$name.log" 2>&1 & ;;
    esac
    SERVER_PID=$!
    for _ in $(seq 1 120); do
        if curl -s -o /dev/null -X POST "http://127.0.0.1:$port/webhooks/stripe" -d '{}'; then return 0; fi
        sleep 0.5
    done
    log "$name did not start:"; cat "$WORK/$name.log" >&2; exit 1
}

stop_server() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

# run_load name port seconds connections rate -> sets R_* variables (rate: requests/s for all
# connections together, kept to a schedule; 0: as fast as the server answers)
run_load() {
    local name="$1" port="$2" seconds="$3" connections="$4" rate="$5" run="$6"
    local before_server before_machine before_pg before_mq before_processor=0
    before_server="$(cpu_ticks_of "$SERVER_PID")"
    before_machine="$(machine_ticks)"
    # Every host of the connection strings: with the local cluster, the standby and all three nodes count.
    before_pg="$(instances_ticks $(pg_ports "$ConnectionStrings__Postgres"))"
    before_mq="$(instances_ticks $(amqp_ports "$ConnectionStrings__RabbitMq"))"
    [ -z "$PROCESSOR_PID" ] || before_processor="$(cpu_ticks_of "$PROCESSOR_PID")"
    R_STARTED="$(date +%s.%N)"
    BENCH_RUN="$run" BENCH_RATE="$(awk -v r="$rate" -v t="$THREADS" 'BEGIN { print r / t }')" wrk -t "$THREADS" -c "$connections" -d "${seconds}s" --timeout 10s \
        -s "$REPO/bench/signed-events.lua" "http://127.0.0.1:$port" >"$WORK/wrk-$run.txt" 2>&1 || true
    R_ENDED="$(date +%s.%N)"
    local result; result="$(grep BENCH_RESULT "$WORK/wrk-$run.txt" || true)"
    [ -n "$result" ] || { log "wrk failed:"; cat "$WORK/wrk-$run.txt" >&2; exit 1; }
    field() { sed -E "s/.* $1=([^ ]+).*/\1/" <<<"$result"; }
    R_REQUESTS="$(field requests)"; R_OK="$(field ok)"; R_REJECTED="$(field rejected)"; R_ERRORS="$(field socket_errors)"
    R_RPS="$(field rps)"; R_P50="$(field p50_us)"; R_P99="$(field p99_us)"; R_P999="$(field p999_us)"
    local server_ticks=$(( $(cpu_ticks_of "$SERVER_PID") - before_server ))
    local machine_ticks_used=$(( $(machine_ticks) - before_machine ))
    local pg_ticks=$(( $(instances_ticks $(pg_ports "$ConnectionStrings__Postgres")) - before_pg ))
    # A backend that exits during the run takes its ticks with it: never report less than nothing.
    [ "$pg_ticks" -ge 0 ] || pg_ticks=0
    local mq_ticks=$(( $(instances_ticks $(amqp_ports "$ConnectionStrings__RabbitMq")) - before_mq ))
    R_CPU_PROCESSOR_US=0
    [ -z "$PROCESSOR_PID" ] || R_CPU_PROCESSOR_US="$(us_per $(( $(cpu_ticks_of "$PROCESSOR_PID") - before_processor )) "$R_REQUESTS")"
    R_CPU_SERVER_US="$(awk -v t="$server_ticks" -v hz="$TICKS_PER_SECOND" -v n="$R_REQUESTS" 'BEGIN { printf "%.0f", n ? t / hz * 1e6 / n : 0 }')"
    R_CPU_MACHINE_US="$(awk -v t="$machine_ticks_used" -v hz="$TICKS_PER_SECOND" -v n="$R_REQUESTS" 'BEGIN { printf "%.0f", n ? t / hz * 1e6 / n : 0 }')"
    R_CPU_PG_US="$(awk -v t="$pg_ticks" -v hz="$TICKS_PER_SECOND" -v n="$R_REQUESTS" 'BEGIN { printf "%.0f", n ? t / hz * 1e6 / n : 0 }')"
    R_CPU_MQ_US="$(awk -v t="$mq_ticks" -v hz="$TICKS_PER_SECOND" -v n="$R_REQUESTS" 'BEGIN { printf "%.0f", n ? t / hz * 1e6 / n : 0 }')"
    R_RSS="$(peak_rss_mb "$SERVER_PID")"
}

ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

if [ "$CLUSTER" = 1 ]; then
    "$REPO/deploy/local/cluster.sh" start
    SINGLE_ENV="$("$REPO/deploy/local/services.sh" env)" CLUSTER_ENV="$("$REPO/deploy/local/cluster.sh" env)"
    ROWS=()
    RUN_ID="$(date +%s)"
    port=5290
    paced_rate=0
    for target in single cluster; do
        if [ "$target" = single ]; then eval "$SINGLE_ENV"; SINK_TYPE=""; else eval "$CLUSTER_ENV"; SINK_TYPE=quorum; fi
        # The primary: the first host of the list (the cluster's, before any failover).
        PG_PORT="$(pg_ports "$ConnectionStrings__Postgres" | head -n 1)"
        port=$((port + 1))
        log "$target: starting the receiver"
        start_server ours "$port"
        load="$(cut -d' ' -f1-3 /proc/loadavg)"
        run_load ours "$port" "$WARMUP" "$CONNECTIONS" 0 "${RUN_ID}w${target}"
        log "$target: measuring ${DURATION} s with $CONNECTIONS connections (load average before: $load)"
        run_load ours "$port" "$DURATION" "$CONNECTIONS" 0 "${RUN_ID}${target}"
        ROWS+=("| $target, maximum | $load | $R_RPS | $(ms "$R_P50") | $(ms "$R_P99") | $(ms "$R_P999") | $R_CPU_SERVER_US | $R_CPU_PG_US | $R_CPU_MQ_US | $R_CPU_MACHINE_US | $R_OK / $R_REQUESTS |")
        [ "$paced_rate" -gt 0 ] || paced_rate="$(awk -v r="$R_RPS" 'BEGIN { printf "%.0f", r / 2 }')"
        load="$(cut -d' ' -f1-3 /proc/loadavg)"
        log "$target: paced, ~$paced_rate/s on $CONNECTIONS connections"
        run_load ours "$port" "$DURATION" "$CONNECTIONS" "$paced_rate" "${RUN_ID}p${target}"
        ROWS+=("| $target, paced ~$paced_rate/s | $load | $R_RPS | $(ms "$R_P50") | $(ms "$R_P99") | $(ms "$R_P999") | $R_CPU_SERVER_US | $R_CPU_PG_US | $R_CPU_MQ_US | $R_CPU_MACHINE_US | $R_OK / $R_REQUESTS |")
        stop_server
    done
    {
        echo "## Receiver on one node against the local cluster, $(date -u '+%Y-%m-%d %H:%M UTC')"
        echo
        echo "Machine: $(nproc) cores, shared with other work (the load average, 1/5/15 min, is taken before each run: compare rows of this run only); wrk $THREADS thread(s), ${DURATION} s per run; the cluster is deploy/local/cluster.sh's on the same machine: three RabbitMQ nodes (the sink a quorum queue, so a confirm waits for two of three) and PostgreSQL with a synchronous standby (a commit waits for the standby's flush)."
        echo
        echo "| target | load average | requests/s | p50 ms | p99 ms | p99.9 ms | CPU µs/event: receiver | PostgreSQL | RabbitMQ | whole machine | 200s / requests |"
        echo "|---|---|---|---|---|---|---|---|---|---|---|"
        printf '%s\n' "${ROWS[@]}"
    } | tee "$WORK/table.md"
    { echo; cat "$WORK/table.md"; } >>"$OUT"
    log "appended to $OUT"
    exit 0
fi

ROWS=()
declare -A RPS
RUN_ID="$(date +%s)"
port=5190
RECEIVER_STAGES="bare naive ours"
stage receiver || RECEIVER_STAGES=""
for name in $RECEIVER_STAGES; do
    port=$((port + 1))
    log "$name: starting"
    start_server "$name" "$port"
    log "$name: warm-up ${WARMUP} s"
    run_load "$name" "$port" "$WARMUP" "$CONNECTIONS" 0 "${RUN_ID}w${name}"
    log "$name: measuring ${DURATION} s with $CONNECTIONS connections"
    run_load "$name" "$port" "$DURATION" "$CONNECTIONS" 0 "${RUN_ID}${name}"
    RPS[$name]="$R_RPS"
    stored="n/a"
    if [ "$name" != bare ]; then
        sleep 1
        stored="$(ConnectionStrings__Postgres="$ConnectionStrings__Postgres" dotnet "$BENCH_DLL" count "bench_$name" "evt_bench_${RUN_ID}${name}_")"
        # Requests still in flight when wrk stops are stored but never counted as answered: at most
        # one per connection. Fewer rows than 200s would be a lost event.
        extra=$((stored - R_OK))
        if [ "$extra" -ge 0 ] && [ "$extra" -le "$CONNECTIONS" ]; then
            stored="$stored (every 200 stored; $extra more were in flight at the stop)"
        else
            stored="$stored (MISMATCH: $R_OK answered 200)"
        fi
    fi
    ROWS+=("| ($name) | $R_RPS | $(ms "$R_P50") | $(ms "$R_P99") | $(ms "$R_P999") | $R_CPU_SERVER_US | $R_CPU_PG_US | $R_CPU_MQ_US | $R_CPU_MACHINE_US | $R_RSS | $R_OK / $R_REQUESTS | $stored |")
    if [ "$name" = ours ]; then
        half="$(awk -v r="$R_RPS" 'BEGIN { printf "%.0f", r / 2 }')"
        paced_connections="$CONNECTIONS"
        log "ours: paced run near half the maximum (~$half/s on $paced_connections connections)"
        run_load "$name" "$port" "$DURATION" "$paced_connections" "$half" "${RUN_ID}half"
        ROWS+=("| (ours, half rate) | $R_RPS | $(ms "$R_P50") | $(ms "$R_P99") | $(ms "$R_P999") | $R_CPU_SERVER_US | $R_CPU_PG_US | $R_CPU_MQ_US | $R_CPU_MACHINE_US | $R_RSS | $R_OK / $R_REQUESTS | |")
        if [ "$SOAK_SECONDS" -gt 0 ]; then
            log "ours: soak, ${SOAK_SECONDS} s at the half rate, resident memory sampled every 10 s"
            ( while kill -0 "$SERVER_PID" 2>/dev/null; do
                  awk '/VmRSS/ { printf "%.0f\n", $2 / 1024 }' "/proc/$SERVER_PID/status"; sleep 10
              done ) >"$WORK/soak-rss.txt" &
            sampler=$!
            run_load "$name" "$port" "$SOAK_SECONDS" "$paced_connections" "$half" "${RUN_ID}soak"
            kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
            ROWS+=("| (ours, half rate, ${SOAK_SECONDS} s soak) | $R_RPS | $(ms "$R_P50") | $(ms "$R_P99") | $(ms "$R_P999") | $R_CPU_SERVER_US | $R_CPU_PG_US | $R_CPU_MQ_US | $R_CPU_MACHINE_US | $R_RSS | $R_OK / $R_REQUESTS | |")
            SOAK_LINE="$(awk -v s="$SOAK_SECONDS" '{ v[NR] = $1; if ($1 > max) max = $1 } END {
                m = int(NR / 2); printf "Soak: resident memory of (c) over %d s, sampled every 10 s: first %d MB, after 1 min %d MB, half-way %d MB, last %d MB, highest %d MB.", s, v[1], v[7], v[m], v[NR], max }' "$WORK/soak-rss.txt")"
            log "$SOAK_LINE"
        fi
        if [ "$STORE_ROWS" -gt 0 ]; then
            log "ours: filling the store with $STORE_ROWS older events (random keys, in chunks of 1M)"
            filled=0
            while [ "$filled" -lt "$STORE_ROWS" ]; do
                chunk=$(( STORE_ROWS - filled < 1000000 ? STORE_ROWS - filled : 1000000 ))
                psql_admin "SET search_path = bench_ours; INSERT INTO webhook_events (provider, event_id, event_type, received_at, message_id, headers, body)
                    SELECT 'stripe', 'evt_fill_' || md5(g::text), 'payment_intent.succeeded', now() - interval '30 days' + g * interval '100 microseconds',
                           gen_random_uuid(), '{}'::jsonb, convert_to(repeat('x', 1500), 'UTF8')
                    FROM generate_series($((filled + 1)), $((filled + chunk))) g;"
                filled=$((filled + chunk))
                log "ours: $filled stored"
            done
            psql_admin "VACUUM ANALYZE bench_ours.webhook_events;"
            log "ours: measuring with $STORE_ROWS events stored"
            run_load "$name" "$port" "$DURATION" "$CONNECTIONS" 0 "${RUN_ID}full"
            ROWS+=("| (ours, $STORE_ROWS stored) | $R_RPS | $(ms "$R_P50") | $(ms "$R_P99") | $(ms "$R_P999") | $R_CPU_SERVER_US | $R_CPU_PG_US | $R_CPU_MQ_US | $R_CPU_MACHINE_US | $R_RSS | $R_OK / $R_REQUESTS | |")
        fi
    fi
    stop_server
done


# End to end: receiver and processor together, paced, then a burst at full speed.
port=$((port + 4))
e2e_rate="$E2E_RATE"
[ "$e2e_rate" -gt 0 ] 2>/dev/null || e2e_rate="$(awk -v r="${RPS[ours]:-0}" 'BEGIN { printf "%.0f", r / 2 }')"
E2E_LINES=()
e2e_query() { psql_admin "SET search_path = bench_e2e; $1"; }
# Waits (up to $2 seconds) until every stored event of run $1 is processed; prints how many are left.
wait_processed() {
    local left=""
    for _ in $(seq 1 "$2"); do
        left="$(e2e_query "SELECT count(*) FROM webhook_events e WHERE e.event_id LIKE 'evt_bench_$1_%' AND NOT EXISTS (SELECT 1 FROM processed_events p WHERE p.provider = e.provider AND p.event_id = e.event_id);")"
        [ "$left" = 0 ] && break
        sleep 1
    done
    echo "$left"
}
if stage e2e || stage burst; then
    start_server e2e "$port"
fi
if stage e2e; then
    [ "$e2e_rate" -gt 0 ] || { log "end to end needs --e2e-rate without the receiver stage"; exit 2; }
    log "end to end: receiver + processor, ${E2E_SECONDS} s at ~${e2e_rate} events/s"
    e2e_connections="$CONNECTIONS"
    run_load e2e "$port" "$E2E_SECONDS" "$e2e_connections" "$e2e_rate" "${RUN_ID}e2e"
    cpu_line="CPU µs per accepted event: receiver $R_CPU_SERVER_US, processor $R_CPU_PROCESSOR_US, PostgreSQL $R_CPU_PG_US, RabbitMQ $R_CPU_MQ_US, whole machine $R_CPU_MACHINE_US"
    E2E_SENT="$R_OK"
    E2E_RPS="$R_RPS"
    # Give the processor up to a minute to finish what was accepted, then measure.
    wait_processed "${RUN_ID}e2e" 60 >/dev/null
    E2E_STATS="$(e2e_query "SELECT count(*) || ' ' ||
            round((count(*) / greatest(extract(epoch FROM max(p.processed_at) - min(e.received_at)), 0.001))::numeric, 0) || ' ' ||
            round((percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM p.processed_at - e.received_at)) * 1000)::numeric, 1) || ' ' ||
            round((percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM p.processed_at - e.received_at)) * 1000)::numeric, 1) || ' ' ||
            round((max(extract(epoch FROM p.processed_at - e.received_at)) * 1000)::numeric, 1)
        FROM webhook_events e JOIN processed_events p ON p.provider = e.provider AND p.event_id = e.event_id
        WHERE e.event_id LIKE 'evt_bench_${RUN_ID}e2e_%';")"
    # The lag's p99 for the events received in each minute of the run: a flat line, or a growing backlog?
    E2E_MINUTES="$(e2e_query "SELECT string_agg(round(p99)::text, ', ' ORDER BY minute) FROM (
            SELECT floor(extract(epoch FROM e.received_at - first.at) / 60) AS minute,
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM p.processed_at - e.received_at)) * 1000 AS p99
            FROM webhook_events e JOIN processed_events p ON p.provider = e.provider AND p.event_id = e.event_id,
                 (SELECT min(received_at) AS at FROM webhook_events WHERE event_id LIKE 'evt_bench_${RUN_ID}e2e_%') first
            WHERE e.event_id LIKE 'evt_bench_${RUN_ID}e2e_%'
            GROUP BY 1) m;")"
    E2E_OUTBOX="$(e2e_query "SELECT count(*) FROM event_outbox;")"
    read -r E2E_PROCESSED E2E_EPS E2E_P50 E2E_P99 E2E_MAX <<<"$E2E_STATS"
    E2E_LINES+=("End to end (receiver + processor, paced at ~${e2e_rate}/s for ${E2E_SECONDS} s): $E2E_SENT events accepted at $E2E_RPS/s; $E2E_PROCESSED processed at $E2E_EPS events/s from first receipt to last order update; lag from receipt to order update p50 $E2E_P50 ms, p99 $E2E_P99 ms, max $E2E_MAX ms; p99 by minute of receipt: $E2E_MINUTES ms; outbox rows left: $E2E_OUTBOX. $cpu_line.")
fi
if stage burst; then
    log "burst: the receiver at full speed for ${BURST_SECONDS} s while the processor runs"
    run_load e2e "$port" "$BURST_SECONDS" "$CONNECTIONS" 0 "${RUN_ID}burst"
    burst_cpu="CPU µs per accepted event: receiver $R_CPU_SERVER_US, processor $R_CPU_PROCESSOR_US (during the burst), PostgreSQL $R_CPU_PG_US, RabbitMQ $R_CPU_MQ_US"
    left="$(wait_processed "${RUN_ID}burst" 600)"
    BURST_STATS="$(e2e_query "SELECT count(*) || ' ' || round(extract(epoch FROM max(p.processed_at))::numeric, 3)
        FROM webhook_events e JOIN processed_events p ON p.provider = e.provider AND p.event_id = e.event_id
        WHERE e.event_id LIKE 'evt_bench_${RUN_ID}burst_%';")"
    read -r BURST_PROCESSED BURST_LAST <<<"$BURST_STATS"
    E2E_LINES+=("$(awk -v ok="$R_OK" -v rps="$R_RPS" -v s="$R_STARTED" -v e="$R_ENDED" -v last="$BURST_LAST" -v n="$BURST_PROCESSED" -v left="$left" -v cpu="$burst_cpu" 'BEGIN {
        d = e - s
        printf "Burst (receiver at full speed for %.1f s while the processor runs): %d events accepted at %s/s; %d processed (%s left); the last order was updated %.1f s after the burst ended, %.2fx the burst'"'"'s duration from its start. %s.", d, ok, rps, n, left, last - e, (last - s) / d, cpu }')")
fi
if stage e2e || stage burst; then
    stop_server
    kill "$PROCESSOR_PID" 2>/dev/null || true
    wait "$PROCESSOR_PID" 2>/dev/null || true
    PROCESSOR_PID=""
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b ? a / b : 0 }'; }
{
    echo "## Receiver benchmark, $(date -u '+%Y-%m-%d %H:%M UTC') ($(git -C "$REPO" log -1 --format=%h), stages $STAGES)"
    echo
    echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr), load average before the run $LOAD_BEFORE; wrk on the same machine, $THREADS thread(s), $CONNECTIONS connections, ${DURATION} s per run after a ${WARMUP} s warm-up; PostgreSQL $(psql_admin 'SHOW server_version'), synchronous_commit $(psql_admin 'SHOW synchronous_commit'); RabbitMQ with publisher confirms."
    if stage receiver; then
        echo
        echo "| server | requests/s | p50 ms | p99 ms | p99.9 ms | CPU µs/event: server | PostgreSQL | RabbitMQ | whole machine | peak RSS MB | 200s / requests | stored rows |"
        echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
        printf '%s\n' "${ROWS[@]}"
        echo
        echo "(c) reaches $(ratio "${RPS[ours]}" "${RPS[bare]}")x of (a)'s requests per second ($(awk -v a="${RPS[ours]}" -v b="${RPS[bare]}" 'BEGIN { printf "%.0f%%", a / b * 100 }')) and $(ratio "${RPS[ours]}" "${RPS[naive]}")x (b)'s."
        echo "Latency is wrk's, from the first byte sent to the last byte of the 200; machine CPU includes wrk, PostgreSQL and RabbitMQ."
    fi
    for line in "${E2E_LINES[@]}"; do echo; echo "$line"; done
    if [ -n "${SOAK_LINE:-}" ]; then echo; echo "$SOAK_LINE"; fi
} | tee "$WORK/table.md"
{ echo; cat "$WORK/table.md"; } >>"$OUT"
log "appended to $OUT"
