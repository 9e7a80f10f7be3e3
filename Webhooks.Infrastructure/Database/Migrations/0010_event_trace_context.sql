-- The W3C trace context of the request that stored the event, so that a publish by the relay,
-- long after the request, still joins the event's trace.
ALTER TABLE webhook_events ADD COLUMN trace_parent text;
