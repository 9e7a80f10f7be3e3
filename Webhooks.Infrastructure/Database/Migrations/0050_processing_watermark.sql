-- The processor's low-water mark over webhook_events for the oldest-unprocessed-event gauge: every
-- event received at or before (received_at, event_row_id) is processed or dead-lettered. Kept here so
-- that a restarted processor resumes from it instead of reading the whole store again. Numbered apart
-- from the schema's other migrations so that their next numbers never clash with it.
CREATE TABLE processing_watermark (
    name          text        PRIMARY KEY,
    received_at   timestamptz NOT NULL,
    event_row_id  bigint      NOT NULL,
    updated_at    timestamptz NOT NULL
);
