-- Alert state lives in the database, not in memory: a restarted processor neither repeats an
-- alert nor forgets one that Slack did not take.

-- One row per order that has been alerted as stuck and not yet given its all-clear.
CREATE TABLE stuck_order_alerts (
    order_id          text        PRIMARY KEY REFERENCES orders (order_id) ON DELETE CASCADE,
    first_alerted_at  timestamptz NOT NULL,
    last_alerted_at   timestamptz NOT NULL,
    alert_count       integer     NOT NULL DEFAULT 1
);

-- One row per dead-lettered message (from its Fault), until a grouped Slack post has named it.
-- Keyed by the fault's id: the same fault delivered twice is one alert; the same message failing
-- again after a replay is a new one.
CREATE TABLE dead_letter_alerts (
    fault_id        uuid        PRIMARY KEY,
    queue_name      text        NOT NULL,
    message_id      uuid,
    provider        text,
    event_id        text,
    event_type      text,
    exception_type  text        NOT NULL,
    reason          text        NOT NULL,
    failed_at       timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL,
    notified_at     timestamptz
);

CREATE INDEX dead_letter_alerts_due_idx ON dead_letter_alerts (queue_name, recorded_at) WHERE notified_at IS NULL;
