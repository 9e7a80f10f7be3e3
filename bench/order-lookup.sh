#!/usr/bin/env bash
# How much finding one order's stored events costs with a large store (issue 15: "cheap with 10 million
# stored events"). Fills a schema of its own (bench_lookup) with the project's migrations and N events
# (default 10,000,000) of N/4 orders, four events each as real traffic has them (payment_intent.created and
# .succeeded name the order; charge.succeeded and charge.refunded name only the payment intent), all
# processed, then times the statement of Webhooks.Infrastructure/Orders/OrderEvents.cs for one order and
# for the 1,000 orders of a stuck-order scan, with EXPLAIN ANALYZE (runs after a first, cold one).
#
#   bench/order-lookup.sh [--rows N] [--keep]      (--keep: reuse a filled bench_lookup schema)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
ROWS=10000000
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --rows) ROWS="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
"$REPO/deploy/local/services.sh" start >/dev/null
eval "$("$REPO/deploy/local/services.sh" env)"
PG_PORT="${WEBHOOKS_PG_PORT:-24432}"
psql_() { PGPASSWORD=webhooks psql -qAt -h 127.0.0.1 -p "$PG_PORT" -U webhooks -d webhooks -v ON_ERROR_STOP=1 "$@"; }
log() { printf '[lookup] %s\n' "$*" >&2; }
ORDERS=$((ROWS / 4))
if [ "$KEEP" = 0 ]; then
    log "schema bench_lookup with the migrations"
    psql_ -c "DROP SCHEMA IF EXISTS bench_lookup CASCADE; CREATE SCHEMA bench_lookup;"
    for script in "$REPO"/Webhooks.Infrastructure/Database/Migrations/*.sql; do
        psql_ -c "SET search_path = bench_lookup;" -f "$script"
    done
    # Loading is faster without the indexes: they are dropped here (their definitions kept) and built
    # again after the load, exactly as the migrations define them.
    psql_ -c "SET search_path = bench_lookup;
        CREATE TABLE bench_ddl AS
        SELECT 1 AS ord, format('ALTER TABLE %I ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS ddl,
               format('ALTER TABLE %I DROP CONSTRAINT %I CASCADE', c.conrelid::regclass, c.conname) AS undo
        FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE n.nspname = 'bench_lookup' AND c.contype IN ('p', 'u')
          AND c.conrelid::regclass::text IN ('webhook_events', 'processed_events', 'payment_intent_links')
        UNION ALL
        SELECT 2, i.indexdef, format('DROP INDEX %I', i.indexname)
        FROM pg_indexes i
        WHERE i.schemaname = 'bench_lookup' AND i.tablename IN ('webhook_events', 'processed_events', 'payment_intent_links')
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname);
        DO \$\$ DECLARE r record; BEGIN
            FOR r IN SELECT undo FROM bench_ddl ORDER BY ord DESC LOOP EXECUTE r.undo; END LOOP;
        END \$\$;"
    started=$EPOCHSECONDS
    for ((from = 1; from <= ORDERS; from += 250000)); do
        to=$((from + 249999 > ORDERS ? ORDERS : from + 249999))
        psql_ -c "SET search_path = bench_lookup; SET synchronous_commit = off;
            INSERT INTO webhook_events (provider, event_id, event_type, received_at, message_id, headers, body, order_ref, payment_intent_ref)
            SELECT 'stripe', 'evt_' || g || '_' || k, t.type, now() - interval '30 days' + g * interval '1 millisecond', gen_random_uuid(), '{}'::jsonb,
                   convert_to(repeat('x', 600), 'UTF8'), CASE WHEN k <= 2 THEN 'order_' || g END, 'pi_' || g
            FROM generate_series($from, $to) g,
                 (VALUES (1, 'payment_intent.created'), (2, 'payment_intent.succeeded'), (3, 'charge.succeeded'), (4, 'charge.refunded')) AS t(k, type);
            INSERT INTO processed_events (provider, event_id, event_type, order_id, outcome, detail, processed_at)
            SELECT 'stripe', 'evt_' || g || '_' || k, 'x', 'order_' || g, 'applied', NULL, now()
            FROM generate_series($from, $to) g, generate_series(1, 4) k;
            INSERT INTO payment_intent_links (payment_intent_id, order_id, linked_at, provider, event_id)
            SELECT 'pi_' || g, 'order_' || g, now(), 'stripe', 'evt_' || g || '_1' FROM generate_series($from, $to) g;"
        log "$((to * 4)) events stored ($((EPOCHSECONDS - started)) s)"
    done
    log "building the indexes again"
    psql_ -c "SET search_path = bench_lookup; SET maintenance_work_mem = '512MB';
        DO \$\$ DECLARE r record; BEGIN
            FOR r IN SELECT ddl FROM bench_ddl ORDER BY ord LOOP EXECUTE r.ddl; END LOOP;
        END \$\$;"
    log "indexes built ($((EPOCHSECONDS - started)) s)"
    # One statement per -c: VACUUM cannot run inside the transaction that several statements share.
    psql_ -c "VACUUM ANALYZE bench_lookup.webhook_events" -c "VACUUM ANALYZE bench_lookup.processed_events" \
        -c "VACUUM ANALYZE bench_lookup.payment_intent_links"
fi

SQL_HEAD="EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT)"
STATEMENT="WITH links AS (
    SELECT l.order_id, l.payment_intent_id FROM payment_intent_links l WHERE l.order_id = ANY(\$1)
), found AS (
    SELECT e.order_ref AS order_id, e.id FROM webhook_events e WHERE e.order_ref = ANY(\$1)
    UNION
    SELECT l.order_id, e.id FROM links l JOIN webhook_events e ON e.payment_intent_ref = l.payment_intent_id
    WHERE e.payment_intent_ref = ANY(ARRAY(SELECT payment_intent_id FROM links))
    UNION
    SELECT p.order_id, e.id FROM processed_events p JOIN webhook_events e ON e.provider = p.provider AND e.event_id = p.event_id
    WHERE p.order_id = ANY(\$1)
)
SELECT f.order_id, e.provider, e.event_id, e.event_type, e.received_at, e.headers ->> 'x-webhooks-source', p.outcome, p.detail, d.message_id, d.failed_at
FROM found f JOIN webhook_events e ON e.id = f.id
LEFT JOIN processed_events p ON p.provider = e.provider AND p.event_id = e.event_id
LEFT JOIN LATERAL (SELECT x.message_id, x.failed_at FROM dead_letter_alerts x WHERE x.provider = e.provider AND x.event_id = e.event_id
                   ORDER BY x.recorded_at DESC LIMIT 1) d ON true
ORDER BY f.order_id, e.received_at, e.id LIMIT 10000"
timing() { # orders-array-sql label
    local times=()
    for run in 0 1 2 3 4 5; do
        local ms
        ms="$(psql_ -c "SET search_path = bench_lookup" -c "PREPARE q(text[]) AS $STATEMENT;" -c "$SQL_HEAD EXECUTE q($1);" \
            | sed -nE 's/^Execution Time: ([0-9.]+) ms/\1/p')"
        [ "$run" = 0 ] || times+=("$ms")
    done
    log "$2: ${times[*]} ms"
    echo "$2: ${times[*]} ms (five warm runs)"
}
total="$(psql_ -c "SELECT count(*) FROM bench_lookup.webhook_events")"
echo "webhook_events rows: $total; load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
one="ARRAY['order_$((ORDERS / 2 + 7))']"
timing "$one" "one order (orders show)"
# EXECUTE takes no subquery: the thousand ids as one literal array.
scan="$(psql_ -c "SELECT 'ARRAY[' || string_agg(quote_literal('order_' || (g * 2477 % $ORDERS + 1)), ',') || ']' FROM generate_series(1, 1000) g")"
timing "$scan" "1,000 orders (a stuck-order scan's diagnosis)"
psql_ -c "SET search_path = bench_lookup" -c "PREPARE q(text[]) AS $STATEMENT;" -c "$SQL_HEAD EXECUTE q($one);" | sed 's/^/    /'
