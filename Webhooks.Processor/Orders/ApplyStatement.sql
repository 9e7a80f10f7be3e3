-- A whole batch's work as one statement, after OrderLocks (see ApplyStatement.cs). Parameters are arrays,
-- one element per event in arrival order, plus the clock's now and the order statuses, lowest rank first.
WITH input AS (
    SELECT *
    FROM unnest(@idx, @provider, @eventId, @eventType, @orderId, @paymentIntentId, @links, @receivedAt, @ignoredReason,
                @target, @amount, @currency, @amountVersion, @amountRefunded,
                @disputeId, @disputeStatus, @gatewayStatus, @disputeAmount, @disputeCurrency, @disputeReason, @dueBy, @openedAt,
                @chargeId, @disputeVersion, @fundsWithdrawnAt, @fundsReinstatedAt, @closedAt)
        AS t(idx, provider, event_id, event_type, order_id, payment_intent_id, links, received_at, ignored_reason,
             target, amount, currency, amount_version, amount_refunded,
             dispute_id, dispute_status, gateway_status, dispute_amount, dispute_currency, dispute_reason, due_by, opened_at,
             charge_id, dispute_version, funds_withdrawn_at, funds_reinstated_at, closed_at)
),
-- Not recorded before, and the first copy within the batch.
fresh AS (
    SELECT DISTINCT ON (i.provider, i.event_id) i.*
    FROM input i
    WHERE NOT EXISTS (SELECT FROM processed_events p WHERE p.provider = i.provider AND p.event_id = i.event_id)
    ORDER BY i.provider, i.event_id, i.idx
),
-- Payment intents: the links already stored, and the ones this batch makes (the first linking event wins).
-- Lookups by key are "= ANY(ARRAY(...))": always an index scan, whatever the table's statistics say.
stored_links AS (
    SELECT l.payment_intent_id, l.order_id
    FROM payment_intent_links l
    WHERE l.payment_intent_id = ANY(ARRAY(SELECT payment_intent_id FROM fresh WHERE payment_intent_id IS NOT NULL))
),
new_links AS (
    SELECT DISTINCT ON (f.payment_intent_id) f.payment_intent_id, f.order_id, f.provider, f.event_id
    FROM fresh f
    WHERE f.links AND f.payment_intent_id NOT IN (SELECT payment_intent_id FROM stored_links)
    ORDER BY f.payment_intent_id, f.idx
),
linked AS (
    INSERT INTO payment_intent_links (payment_intent_id, order_id, linked_at, provider, event_id)
    SELECT payment_intent_id, order_id, @now, provider, event_id FROM new_links
    ON CONFLICT (payment_intent_id) DO NOTHING
),
links AS (
    SELECT payment_intent_id, order_id FROM stored_links
    UNION ALL
    SELECT payment_intent_id, order_id FROM new_links
),
-- Events that waited for one of these payment intents: applied now, after the batch's own events.
released AS (
    DELETE FROM waiting_events w
    USING links l
    WHERE w.payment_intent_id = l.payment_intent_id AND w.payment_intent_id = ANY(ARRAY(SELECT payment_intent_id FROM links))
    RETURNING w.*, l.order_id AS linked_order_id
),
-- Every effect to apply, with its order: named by the event, or found through its payment intent
-- (none yet: the event waits). seq orders them: the batch's arrival order, then the released events.
effects AS (
    SELECT f.idx::bigint AS seq, f.idx, f.provider, f.event_id, f.event_type, f.received_at, coalesce(f.order_id, l.order_id) AS order_id,
           f.payment_intent_id, f.target, f.amount, f.currency, f.amount_version, f.amount_refunded,
           f.dispute_id, f.dispute_status, f.gateway_status, f.dispute_amount, f.dispute_currency, f.dispute_reason, f.due_by, f.opened_at,
           f.charge_id, f.dispute_version, f.funds_withdrawn_at, f.funds_reinstated_at, f.closed_at
    FROM fresh f
    LEFT JOIN links l ON f.order_id IS NULL AND l.payment_intent_id = f.payment_intent_id
    WHERE f.ignored_reason IS NULL
    UNION ALL
    SELECT 1000000000 + row_number() OVER (ORDER BY r.waiting_since, r.received_at, r.provider, r.event_id), NULL, r.provider, r.event_id,
           r.event_type, r.received_at, r.linked_order_id,
           r.payment_intent_id, r.target, r.amount, r.currency, r.amount_version, r.amount_refunded,
           r.dispute_id, r.dispute_status, r.gateway_status, r.dispute_amount, r.dispute_currency, r.dispute_reason, r.due_by, r.opened_at,
           r.charge_id, r.dispute_version, r.funds_withdrawn_at, r.funds_reinstated_at, r.closed_at
    FROM released r
),
-- Read without row locks: the advisory locks keep every other writer away from these orders.
stored AS (
    SELECT o.order_id, array_position(@ranks, o.status) AS stored_rank, o.amount_refunded AS stored_refunded
    FROM orders o
    WHERE o.order_id = ANY(ARRAY(SELECT order_id FROM effects WHERE order_id IS NOT NULL))
),
stored_disputes AS (
    SELECT x.dispute_id, x.status, x.version, x.funds_withdrawn_at IS NOT NULL AS withdrawn, x.funds_reinstated_at IS NOT NULL AS reinstated
    FROM disputes x
    WHERE x.dispute_id = ANY(ARRAY(SELECT dispute_id FROM effects WHERE dispute_id IS NOT NULL AND order_id IS NOT NULL))
),
-- Each effect against what the stored row and the earlier effects of the batch left: statuses and
-- versions only move up, amounts refunded only grow, funds times are set once.
sequenced AS (
    SELECT e.*,
           array_position(@ranks, e.target) AS target_rank,
           e.target IS NOT NULL AND s.order_id IS NULL AND count(e.target) OVER order_before = 0 AS creates,
           GREATEST(s.stored_rank, max(array_position(@ranks, e.target)) OVER order_before) AS before_rank,
           GREATEST(s.stored_refunded, max(e.amount_refunded) OVER order_before) AS before_refunded,
           e.dispute_id IS NOT NULL AND x.dispute_id IS NULL AND row_number() OVER by_dispute = 1 AS dispute_creates,
           GREATEST(x.version, max(e.dispute_version) OVER dispute_before) AS before_version,
           coalesce(x.withdrawn, false) OR coalesce(bool_or(e.funds_withdrawn_at IS NOT NULL) OVER dispute_before, false) AS before_withdrawn,
           coalesce(x.reinstated, false) OR coalesce(bool_or(e.funds_reinstated_at IS NOT NULL) OVER dispute_before, false) AS before_reinstated
    FROM effects e
    LEFT JOIN stored s ON s.order_id = e.order_id
    LEFT JOIN stored_disputes x ON x.dispute_id = e.dispute_id
    WHERE e.order_id IS NOT NULL
    WINDOW by_order AS (PARTITION BY e.order_id ORDER BY e.seq),
           order_before AS (by_order ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
           by_dispute AS (PARTITION BY e.dispute_id ORDER BY e.seq),
           dispute_before AS (by_dispute ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
),
judged AS (
    SELECT q.*,
           coalesce(q.creates OR q.target_rank > q.before_rank, false) AS moves,
           CASE WHEN q.creates OR q.target_rank > q.before_rank
                  OR q.amount_refunded > coalesce(q.before_refunded, 0)
                  OR q.dispute_creates OR q.dispute_version > q.before_version
                  OR (q.funds_withdrawn_at IS NOT NULL AND NOT q.before_withdrawn)
                  OR (q.funds_reinstated_at IS NOT NULL AND NOT q.before_reinstated)
                THEN 'applied' ELSE 'unchanged' END AS outcome,
           (@ranks)[q.before_rank] AS before
    FROM sequenced q
),
decided AS (
    SELECT j.*,
           concat_ws('; ',
               CASE WHEN j.creates THEN 'created as ' || j.target
                    WHEN j.moves THEN j.before || ' -> ' || j.target
                    WHEN j.target IS NOT NULL THEN 'the order is already ' || j.before END,
               CASE WHEN j.amount_refunded > coalesce(j.before_refunded, 0)
                    THEN 'refunded ' || j.amount_refunded || coalesce(' of ' || j.amount || ' ' || j.currency, '') END,
               CASE WHEN j.dispute_id IS NOT NULL
                    THEN 'dispute ' || j.dispute_id || ' ' || j.dispute_status || coalesce(' (' || j.gateway_status || ')', '')
                         || CASE WHEN j.outcome = 'unchanged' THEN ', already known' ELSE '' END END,
               CASE WHEN j.idx IS NULL THEN 'waited for payment intent ' || j.payment_intent_id END) AS detail
    FROM judged j
),
recorded AS (
    INSERT INTO processed_events (provider, event_id, event_type, order_id, outcome, detail, processed_at)
    SELECT provider, event_id, event_type, order_id, outcome, detail, @now
    FROM decided
    WHERE idx IS NOT NULL
    UNION ALL
    SELECT provider, event_id, event_type, NULL, 'waiting', 'waiting for payment intent ' || payment_intent_id || ' to be linked to an order', @now
    FROM effects
    WHERE order_id IS NULL
    UNION ALL
    SELECT provider, event_id, event_type, NULL, 'ignored', ignored_reason, @now
    FROM fresh
    WHERE ignored_reason IS NOT NULL
    ON CONFLICT (provider, event_id) DO NOTHING
    RETURNING provider, event_id
),
released_recorded AS (
    UPDATE processed_events p
    SET order_id = d.order_id, outcome = d.outcome, detail = d.detail, processed_at = @now
    FROM decided d
    WHERE d.idx IS NULL AND p.provider = d.provider AND p.event_id = d.event_id
),
parked AS (
    INSERT INTO waiting_events (provider, event_id, payment_intent_id, event_type, received_at, waiting_since,
                                target, amount, currency, amount_version, amount_refunded,
                                dispute_id, dispute_status, gateway_status, dispute_amount, dispute_currency, dispute_reason, due_by, opened_at,
                                charge_id, dispute_version, funds_withdrawn_at, funds_reinstated_at, closed_at)
    SELECT e.provider, e.event_id, e.payment_intent_id, e.event_type, e.received_at, @now,
           e.target, e.amount, e.currency, e.amount_version, e.amount_refunded,
           e.dispute_id, e.dispute_status, e.gateway_status, e.dispute_amount, e.dispute_currency, e.dispute_reason, e.due_by, e.opened_at,
           e.charge_id, e.dispute_version, e.funds_withdrawn_at, e.funds_reinstated_at, e.closed_at
    FROM effects e
    WHERE e.order_id IS NULL AND (e.provider, e.event_id) IN (SELECT provider, event_id FROM recorded)
    ON CONFLICT (provider, event_id) DO NOTHING
    RETURNING 1
),
-- The effects that stand: the batch's events recorded now (a copy recorded meanwhile by another
-- processor is a duplicate), and the released ones.
kept AS (
    SELECT d.*
    FROM decided d
    WHERE d.idx IS NULL OR (d.provider, d.event_id) IN (SELECT provider, event_id FROM recorded)
),
-- One row per order: the highest status (and the first event that reached it), the highest amount
-- refunded, and the amount of the highest version.
order_changes AS (
    SELECT DISTINCT ON (k.order_id)
           k.order_id, k.target AS status, k.received_at, k.provider, k.event_id, k.event_type,
           max(k.amount_refunded) OVER whole_order AS amount_refunded,
           first_value(k.amount) OVER by_version AS amount,
           first_value(k.currency) OVER by_version AS currency,
           max(k.amount_version) OVER whole_order AS amount_version
    FROM kept k
    WHERE k.target IS NOT NULL
    WINDOW whole_order AS (PARTITION BY k.order_id),
           by_version AS (PARTITION BY k.order_id ORDER BY k.amount_version DESC NULLS LAST, k.seq
                          ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    ORDER BY k.order_id, k.target_rank DESC, k.seq
),
-- Merged against the current row, not the snapshot read above, so a rare writer that took no lock
-- (see OrderLocks) cannot make an order lose rank, refunds or a newer amount.
upserted AS (
    INSERT INTO orders AS o (order_id, status, pending_since, created_at, updated_at, last_provider, last_event_id, last_event_type,
                             amount, currency, amount_version, amount_refunded)
    SELECT order_id, status, CASE WHEN status = 'pending' THEN received_at END, @now, @now, provider, event_id, event_type,
           amount, currency, amount_version, coalesce(amount_refunded, 0)
    FROM order_changes
    ORDER BY order_id
    ON CONFLICT (order_id) DO UPDATE
    SET status          = CASE WHEN array_position(@ranks, EXCLUDED.status) > array_position(@ranks, o.status)
                               THEN EXCLUDED.status ELSE o.status END,
        pending_since   = CASE WHEN array_position(@ranks, EXCLUDED.status) > array_position(@ranks, o.status)
                               THEN EXCLUDED.pending_since ELSE o.pending_since END,
        last_provider   = CASE WHEN array_position(@ranks, EXCLUDED.status) > array_position(@ranks, o.status)
                               THEN EXCLUDED.last_provider ELSE o.last_provider END,
        last_event_id   = CASE WHEN array_position(@ranks, EXCLUDED.status) > array_position(@ranks, o.status)
                               THEN EXCLUDED.last_event_id ELSE o.last_event_id END,
        last_event_type = CASE WHEN array_position(@ranks, EXCLUDED.status) > array_position(@ranks, o.status)
                               THEN EXCLUDED.last_event_type ELSE o.last_event_type END,
        amount          = CASE WHEN EXCLUDED.amount_version > coalesce(o.amount_version, -1) THEN EXCLUDED.amount ELSE o.amount END,
        currency        = CASE WHEN EXCLUDED.amount_version > coalesce(o.amount_version, -1) THEN EXCLUDED.currency ELSE o.currency END,
        amount_version  = GREATEST(o.amount_version, EXCLUDED.amount_version),
        amount_refunded = GREATEST(o.amount_refunded, EXCLUDED.amount_refunded),
        updated_at      = EXCLUDED.updated_at
    WHERE array_position(@ranks, EXCLUDED.status) > array_position(@ranks, o.status)
       OR EXCLUDED.amount_refunded > o.amount_refunded
       OR EXCLUDED.amount_version > coalesce(o.amount_version, -1)
),
-- One row per dispute: the details of its highest version, the first funds and closing times.
dispute_changes AS (
    SELECT DISTINCT ON (k.dispute_id)
           k.dispute_id, k.order_id, k.payment_intent_id, k.charge_id, k.dispute_status, k.gateway_status, k.dispute_amount,
           k.dispute_currency, k.dispute_reason, k.due_by, k.opened_at, k.dispute_version, k.provider, k.event_id, k.event_type,
           min(k.funds_withdrawn_at) OVER whole_dispute AS funds_withdrawn_at,
           min(k.funds_reinstated_at) OVER whole_dispute AS funds_reinstated_at,
           min(k.closed_at) OVER whole_dispute AS closed_at
    FROM kept k
    WHERE k.dispute_id IS NOT NULL
    WINDOW whole_dispute AS (PARTITION BY k.dispute_id)
    ORDER BY k.dispute_id, k.dispute_version DESC, k.seq
),
disputes_upserted AS (
    INSERT INTO disputes AS x (dispute_id, order_id, payment_intent_id, charge_id, status, gateway_status, amount, currency, reason, due_by,
                               opened_at, closed_at, funds_withdrawn_at, funds_reinstated_at, version, created_at, updated_at,
                               last_provider, last_event_id, last_event_type)
    SELECT dispute_id, order_id, payment_intent_id, charge_id, dispute_status, gateway_status, dispute_amount, dispute_currency, dispute_reason,
           due_by, opened_at, closed_at, funds_withdrawn_at, funds_reinstated_at, dispute_version, @now, @now, provider, event_id, event_type
    FROM dispute_changes
    ORDER BY dispute_id
    ON CONFLICT (dispute_id) DO UPDATE
    SET status              = CASE WHEN EXCLUDED.version > x.version THEN EXCLUDED.status ELSE x.status END,
        gateway_status      = CASE WHEN EXCLUDED.version > x.version THEN coalesce(EXCLUDED.gateway_status, x.gateway_status) ELSE x.gateway_status END,
        amount              = CASE WHEN EXCLUDED.version > x.version AND EXCLUDED.amount IS NOT NULL THEN EXCLUDED.amount ELSE x.amount END,
        currency            = CASE WHEN EXCLUDED.version > x.version AND EXCLUDED.amount IS NOT NULL THEN EXCLUDED.currency ELSE x.currency END,
        reason              = CASE WHEN EXCLUDED.version > x.version THEN coalesce(EXCLUDED.reason, x.reason) ELSE x.reason END,
        due_by              = CASE WHEN EXCLUDED.version > x.version THEN coalesce(EXCLUDED.due_by, x.due_by) ELSE x.due_by END,
        last_provider       = CASE WHEN EXCLUDED.version > x.version THEN EXCLUDED.last_provider ELSE x.last_provider END,
        last_event_id       = CASE WHEN EXCLUDED.version > x.version THEN EXCLUDED.last_event_id ELSE x.last_event_id END,
        last_event_type     = CASE WHEN EXCLUDED.version > x.version THEN EXCLUDED.last_event_type ELSE x.last_event_type END,
        payment_intent_id   = coalesce(x.payment_intent_id, EXCLUDED.payment_intent_id),
        charge_id           = coalesce(x.charge_id, EXCLUDED.charge_id),
        opened_at           = coalesce(x.opened_at, EXCLUDED.opened_at),
        closed_at           = LEAST(x.closed_at, EXCLUDED.closed_at),
        funds_withdrawn_at  = LEAST(x.funds_withdrawn_at, EXCLUDED.funds_withdrawn_at),
        funds_reinstated_at = LEAST(x.funds_reinstated_at, EXCLUDED.funds_reinstated_at),
        version             = GREATEST(x.version, EXCLUDED.version),
        updated_at          = EXCLUDED.updated_at
    WHERE EXCLUDED.version > x.version
       OR LEAST(x.closed_at, EXCLUDED.closed_at) IS DISTINCT FROM x.closed_at
       OR LEAST(x.funds_withdrawn_at, EXCLUDED.funds_withdrawn_at) IS DISTINCT FROM x.funds_withdrawn_at
       OR LEAST(x.funds_reinstated_at, EXCLUDED.funds_reinstated_at) IS DISTINCT FROM x.funds_reinstated_at
),
dispute_states AS (
    SELECT c.dispute_id, s.status AS before,
           CASE WHEN s.dispute_id IS NULL OR c.dispute_version > s.version THEN c.dispute_status ELSE s.status END AS after
    FROM dispute_changes c
    LEFT JOIN stored_disputes s ON s.dispute_id = c.dispute_id
),
-- Due to Slack in the same commit: a dispute newly known while open, and one that is now lost.
alerted AS (
    INSERT INTO dispute_alerts (dispute_id, kind, recorded_at)
    SELECT dispute_id, kind, @now
    FROM (SELECT dispute_id, 'opened' AS kind FROM dispute_states WHERE before IS NULL AND after = 'open'
          UNION ALL
          SELECT dispute_id, 'lost' FROM dispute_states WHERE after = 'lost' AND before IS DISTINCT FROM 'lost') AS a
    ON CONFLICT (dispute_id, kind) DO NOTHING
    RETURNING 1
)
SELECT CASE WHEN f.idx IS NULL OR r.event_id IS NULL THEN 'duplicate'
            WHEN w.idx IS NOT NULL THEN 'waiting'
            ELSE coalesce(d.outcome, 'ignored') END AS outcome,
       CASE WHEN d.creates THEN NULL ELSE d.before END AS before,
       CASE WHEN d.moves THEN d.target ELSE d.before END AS after,
       d.order_id,
       (SELECT count(*) FROM released) AS released,
       (SELECT count(*) FROM parked) AS parked,
       (SELECT count(*) FROM dispute_states WHERE before IS NULL) AS disputes_opened,
       (SELECT count(*) FROM dispute_states WHERE after = 'won' AND before IS DISTINCT FROM 'won') AS disputes_won,
       (SELECT count(*) FROM dispute_states WHERE after = 'lost' AND before IS DISTINCT FROM 'lost') AS disputes_lost,
       (SELECT count(*) FROM kept WHERE outcome = 'applied' AND target = 'partially_refunded') AS partial_refunds,
       (SELECT count(*) FROM kept WHERE outcome = 'applied' AND target = 'refunded') AS full_refunds,
       (SELECT count(*) FROM alerted) AS dispute_alerts
FROM input i
LEFT JOIN fresh f ON f.idx = i.idx
LEFT JOIN recorded r ON f.idx IS NOT NULL AND r.provider = i.provider AND r.event_id = i.event_id
LEFT JOIN decided d ON d.idx = i.idx
LEFT JOIN effects w ON w.idx = i.idx AND w.order_id IS NULL
ORDER BY i.idx
