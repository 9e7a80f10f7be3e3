-- The receiver's store: every authentic event, byte for byte, unique per provider and key.
CREATE TABLE webhook_events (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider     text        NOT NULL,
    event_id     text        NOT NULL,
    event_type   text,
    received_at  timestamptz NOT NULL,
    message_id   uuid        NOT NULL,
    headers      jsonb       NOT NULL,
    body         bytea       NOT NULL,
    CONSTRAINT webhook_events_provider_event_id_key UNIQUE (provider, event_id)
);

CREATE INDEX webhook_events_received_at_idx ON webhook_events (received_at);

-- The outbox: a row here means "stored, not yet confirmed by the broker". It is written in the
-- same commit as the event and deleted only after a publisher confirm from a routed publish.
-- Kept apart from webhook_events so the relay's scans and deletes touch a small, hot table.
CREATE TABLE event_outbox (
    event_row_id     bigint      PRIMARY KEY REFERENCES webhook_events (id) ON DELETE CASCADE,
    enqueued_at      timestamptz NOT NULL DEFAULT now(),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text
);

CREATE INDEX event_outbox_next_attempt_idx ON event_outbox (next_attempt_at, event_row_id);
