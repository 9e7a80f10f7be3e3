-- What the on-call CLI changed, and who did it: one row per dlq replay, dlq purge and events replay.
-- Numbered far from the services' migrations so that their next numbers never clash with it.
CREATE TABLE cli_audit (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at  timestamptz NOT NULL,
    -- The operating-system account that ran the command (the sudo user first, when there is one).
    os_user      text        NOT NULL,
    host         text        NOT NULL,
    -- 'dlq replay', 'dlq purge' or 'events replay'.
    action       text        NOT NULL,
    -- The queue or store acted on, and where copies went.
    target       text        NOT NULL,
    -- The selection as given: message ids, or --all with its filters, or a time range.
    selection    text        NOT NULL,
    selected     integer     NOT NULL,
    succeeded    integer     NOT NULL,
    failed       integer     NOT NULL,
    -- The message ids (dlq) or provider/event ids (events) that were acted on successfully.
    item_ids     text[]      NOT NULL,
    detail       text
);

CREATE INDEX cli_audit_occurred_at_idx ON cli_audit (occurred_at);
