-- The processor's view of each order. An order only ever moves up the rank
--   pending < payment_failed < canceled < paid < refunded
-- so that late, repeated and reordered events all converge on the same state. The rank itself
-- lives in the processor (OrderStatus); the CHECKs below are the last line of defence.
CREATE TABLE orders (
    order_id         text        PRIMARY KEY,
    status           text        NOT NULL,
    -- When the order became pending (the receiver's time for the event that created it); set
    -- only while it is pending, so "pending too long" is one indexed range scan.
    pending_since    timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    -- The event that set the current status, for the on-call engineer's first question.
    last_provider    text        NOT NULL,
    last_event_id    text        NOT NULL,
    last_event_type  text        NOT NULL,
    CONSTRAINT orders_status_check CHECK (status IN ('pending', 'payment_failed', 'canceled', 'paid', 'refunded')),
    CONSTRAINT orders_pending_since_check CHECK ((status = 'pending') = (pending_since IS NOT NULL)),
    CONSTRAINT orders_order_id_length_check CHECK (length(order_id) BETWEEN 1 AND 200)
);

CREATE INDEX orders_pending_since_idx ON orders (pending_since) WHERE status = 'pending';

-- Every event the processor has consumed, written in the same transaction as its effect on the
-- order: a second delivery of the same event finds its row and changes nothing.
CREATE TABLE processed_events (
    provider      text        NOT NULL,
    event_id      text        NOT NULL,
    event_type    text,
    order_id      text,
    outcome       text        NOT NULL,
    detail        text,
    processed_at  timestamptz NOT NULL,
    CONSTRAINT processed_events_pkey PRIMARY KEY (provider, event_id),
    CONSTRAINT processed_events_outcome_check CHECK (outcome IN ('applied', 'ignored', 'unchanged'))
);

CREATE INDEX processed_events_order_id_idx ON processed_events (order_id) WHERE order_id IS NOT NULL;
