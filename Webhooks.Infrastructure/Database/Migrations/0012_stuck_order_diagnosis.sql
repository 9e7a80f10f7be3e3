-- Stuck orders, diagnosed: which stored events name an order, what the gateway says, what was alerted.

-- The order and the payment intent each event names, read by the receiver when it stores the event (and
-- by reconciliation when it stores one the gateway never delivered), so that an order's events are one
-- index lookup however large the store. Partial indexes: events that name neither cost nothing. Events
-- stored before this migration have neither; the processor's processed_events still names their order.
ALTER TABLE webhook_events
    ADD COLUMN order_ref text,
    ADD COLUMN payment_intent_ref text;

CREATE INDEX webhook_events_order_ref_idx ON webhook_events (order_ref) WHERE order_ref IS NOT NULL;
CREATE INDEX webhook_events_payment_intent_ref_idx ON webhook_events (payment_intent_ref) WHERE payment_intent_ref IS NOT NULL;

-- What the gateway said about a stuck order's payment intent when the processor last asked (or why it
-- could not say), quoted in the order's diagnosis.
CREATE TABLE gateway_payment_intents (
    payment_intent_id  text        PRIMARY KEY,
    order_id           text        NOT NULL,
    status             text,
    checked_at         timestamptz NOT NULL,
    failure            text
);

CREATE INDEX gateway_payment_intents_order_id_idx ON gateway_payment_intents (order_id);

-- Every stuck-order post that named an order (alert, escalation, all-clear) with the diagnosis it gave,
-- for `orders show`; stuck_order_alerts keeps only the state of alerts not yet cleared.
CREATE TABLE stuck_order_alert_log (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id   text        NOT NULL,
    kind       text        NOT NULL,
    diagnosis  text,
    sent_at    timestamptz NOT NULL,
    CONSTRAINT stuck_order_alert_log_kind_check CHECK (kind IN ('stuck', 'still stuck', 'all-clear'))
);

CREATE INDEX stuck_order_alert_log_order_id_idx ON stuck_order_alert_log (order_id, sent_at);

-- The processing backlog alert: a row while an alert about events stored and not processed for longer
-- than the stuck-order threshold is open; its all-clear deletes it.
CREATE TABLE backlog_alerts (
    name               text        PRIMARY KEY,
    first_alerted_at   timestamptz NOT NULL,
    last_alerted_at    timestamptz NOT NULL,
    oldest_received_at timestamptz NOT NULL,
    size               bigint      NOT NULL
);

-- An order's dead-lettered events, found by the event (the fault consumer records provider and event id).
CREATE INDEX dead_letter_alerts_event_idx ON dead_letter_alerts (provider, event_id) WHERE event_id IS NOT NULL;
