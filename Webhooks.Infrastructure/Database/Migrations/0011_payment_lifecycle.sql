-- The whole payment lifecycle: partial refunds, disputes, and orders found through their payment intent.
-- Money is always an integer in the currency's minor unit, as the gateway sends it (cents; yen for JPY).
-- Every effect below is a monotonic merge (a rank, a maximum, a first value), so that any delivery
-- order of the same events ends in the same rows.

-- The payment's amount and currency, from the most authoritative and newest event that carried them
-- (amount_version: the kind of event, then when the gateway made it; see the processor's EffectVersion),
-- and the highest amount refunded seen.
ALTER TABLE orders
    ADD COLUMN amount           bigint,
    ADD COLUMN currency         text,
    ADD COLUMN amount_version   bigint,
    ADD COLUMN amount_refunded  bigint NOT NULL DEFAULT 0,
    DROP CONSTRAINT orders_status_check,
    ADD CONSTRAINT orders_status_check
        CHECK (status IN ('pending', 'payment_failed', 'canceled', 'paid', 'partially_refunded', 'refunded')),
    ADD CONSTRAINT orders_amounts_check CHECK (amount >= 0 AND amount_refunded >= 0),
    ADD CONSTRAINT orders_currency_check CHECK (currency ~ '^[a-z]{3}$'),
    ADD CONSTRAINT orders_amount_currency_check CHECK ((amount IS NULL) = (currency IS NULL));

-- An event waiting for its payment intent's order, once applied, is recorded as applied or unchanged.
ALTER TABLE processed_events
    DROP CONSTRAINT processed_events_outcome_check,
    ADD CONSTRAINT processed_events_outcome_check CHECK (outcome IN ('applied', 'ignored', 'unchanged', 'waiting'));

-- Which order a payment intent belongs to, as a payment_intent.* event with the order's id said.
-- The first link wins and a link never changes, so reading one outside a lock is safe.
CREATE TABLE payment_intent_links (
    payment_intent_id  text        PRIMARY KEY,
    order_id           text        NOT NULL,
    linked_at          timestamptz NOT NULL,
    provider           text        NOT NULL,
    event_id           text        NOT NULL,
    CONSTRAINT payment_intent_links_id_length_check CHECK (length(payment_intent_id) BETWEEN 1 AND 255)
);

CREATE INDEX payment_intent_links_order_id_idx ON payment_intent_links (order_id);

-- Events (charges, disputes) that name a payment intent no event has linked to an order yet, with the
-- effect the processor read from them: applied in the same transaction that creates the link. Their
-- processed_events row says 'waiting' meanwhile, so a second delivery is a duplicate.
CREATE TABLE waiting_events (
    provider             text        NOT NULL,
    event_id             text        NOT NULL,
    payment_intent_id    text        NOT NULL,
    event_type           text,
    received_at          timestamptz NOT NULL,
    waiting_since        timestamptz NOT NULL,
    -- When the stuck-order monitor reported it as unlinked for too long (once).
    alerted_at           timestamptz,
    -- The effect, as in the processor's OrderEvent.
    target               text,
    amount               bigint,
    currency             text,
    amount_version       bigint,
    amount_refunded      bigint,
    dispute_id           text,
    dispute_status       text,
    gateway_status       text,
    dispute_amount       bigint,
    dispute_currency     text,
    dispute_reason       text,
    due_by               timestamptz,
    opened_at            timestamptz,
    charge_id            text,
    dispute_version      bigint,
    funds_withdrawn_at   timestamptz,
    funds_reinstated_at  timestamptz,
    closed_at            timestamptz,
    CONSTRAINT waiting_events_pkey PRIMARY KEY (provider, event_id)
);

CREATE INDEX waiting_events_payment_intent_id_idx ON waiting_events (payment_intent_id);
CREATE INDEX waiting_events_waiting_since_idx ON waiting_events (waiting_since) WHERE alerted_at IS NULL;

-- A chargeback or inquiry, by the gateway's dispute id. status is ours (open, won, lost); the gateway's
-- own status is kept beside it. The row follows the event of the highest version (rank of the
-- gateway's status, then when the gateway made the event): a late 'created' never reopens a closed one.
CREATE TABLE disputes (
    dispute_id           text        PRIMARY KEY,
    order_id             text        NOT NULL,
    payment_intent_id    text,
    charge_id            text,
    status               text        NOT NULL,
    gateway_status       text,
    amount               bigint,
    currency             text,
    reason               text,
    -- The evidence deadline: after it the dispute is lost unless answered.
    due_by               timestamptz,
    opened_at            timestamptz,
    closed_at            timestamptz,
    funds_withdrawn_at   timestamptz,
    funds_reinstated_at  timestamptz,
    version              bigint      NOT NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    last_provider        text        NOT NULL,
    last_event_id        text        NOT NULL,
    last_event_type      text        NOT NULL,
    CONSTRAINT disputes_status_check CHECK (status IN ('open', 'won', 'lost')),
    CONSTRAINT disputes_amount_check CHECK (amount >= 0),
    CONSTRAINT disputes_currency_check CHECK (currency ~ '^[a-z]{3}$'),
    CONSTRAINT disputes_id_length_check CHECK (length(dispute_id) BETWEEN 1 AND 255)
);

CREATE INDEX disputes_order_id_idx ON disputes (order_id, opened_at DESC);
CREATE INDEX disputes_open_due_by_idx ON disputes (due_by) WHERE status = 'open';

-- "The order's dispute": its latest.
CREATE VIEW order_latest_disputes AS
SELECT DISTINCT ON (order_id) *
FROM disputes
ORDER BY order_id, opened_at DESC NULLS LAST, dispute_id DESC;

-- Dispute alerts due to Slack, written in the same transaction as the dispute's change: at most one
-- of each kind per dispute ('opened', 'lost', 'deadline': still open with its deadline near).
CREATE TABLE dispute_alerts (
    dispute_id   text        NOT NULL,
    kind         text        NOT NULL,
    recorded_at  timestamptz NOT NULL,
    notified_at  timestamptz,
    CONSTRAINT dispute_alerts_pkey PRIMARY KEY (dispute_id, kind),
    CONSTRAINT dispute_alerts_kind_check CHECK (kind IN ('opened', 'lost', 'deadline'))
);

CREATE INDEX dispute_alerts_due_idx ON dispute_alerts (recorded_at) WHERE notified_at IS NULL;
