using Npgsql;
using NpgsqlTypes;

namespace Webhooks.Infrastructure.Storage;

/// <summary>
/// The one way into the store: many events and their outbox rows in one statement and one commit. A key
/// already stored, by an earlier request or a concurrent one, is skipped by the unique constraint and
/// reported as a duplicate; the 200 for an accepted event therefore always means "this commit stored it".
/// The receiver writes what it received; reconciliation (the processor's and the CLI's) what the gateway
/// says it never delivered. Either way the outbox relay of any running receiver publishes the rows.
/// </summary>
public sealed class EventBatchInserter(NpgsqlDataSource dataSource)
{
    private const string InsertSql = """
        WITH incoming AS (
            SELECT * FROM unnest(@providers, @event_ids, @event_types, @received_at, @message_ids, @headers, @bodies, @trace_parents,
                                 @order_refs, @payment_intent_refs)
                AS t(provider, event_id, event_type, received_at, message_id, headers, body, trace_parent, order_ref, payment_intent_ref)
        ), inserted AS (
            INSERT INTO webhook_events (provider, event_id, event_type, received_at, message_id, headers, body, trace_parent, order_ref, payment_intent_ref)
            SELECT provider, event_id, event_type, received_at, message_id, headers::jsonb, body, trace_parent, order_ref, payment_intent_ref
            FROM incoming
            ON CONFLICT (provider, event_id) DO NOTHING
            RETURNING id, provider, event_id
        ), queued AS (
            INSERT INTO event_outbox (event_row_id, next_attempt_at) SELECT id, now() + @lease FROM inserted
        )
        SELECT id, provider, event_id FROM inserted
        """;

    /// <summary>Inserts distinct events; returns those this commit stored, by (provider, key), with their row id and message id.</summary>
    /// <param name="events">Distinct by provider and key.</param>
    /// <param name="outboxLease">
    /// How long the new outbox rows belong to the caller's fast lane before any relay may publish them
    /// (zero: at once, for a caller that publishes nothing itself).
    /// </param>
    /// <param name="cancellationToken">Cancels the statement; nothing is stored then.</param>
    public async Task<Dictionary<(string Provider, string EventId), StoredRow>> InsertAsync(
        IReadOnlyList<IncomingEvent> events, TimeSpan outboxLease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var count = events.Count;
        var providers = new string[count];
        var eventIds = new string[count];
        var eventTypes = new string?[count];
        var receivedAt = new DateTime[count];
        var messageIds = new Guid[count];
        var headers = new string[count];
        var bodies = new byte[count][];
        var traceParents = new string?[count];
        var orderRefs = new string?[count];
        var paymentIntentRefs = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var e = events[i];
            providers[i] = e.Provider;
            eventIds[i] = e.EventId;
            eventTypes[i] = e.EventType;
            receivedAt[i] = e.ReceivedAt.UtcDateTime;
            // Time-ordered ids keep the broker's message ids roughly in arrival order.
            messageIds[i] = Guid.CreateVersion7(e.ReceivedAt);
            headers[i] = e.HeadersJson;
            bodies[i] = e.Body;
            traceParents[i] = e.TraceParent;
            orderRefs[i] = e.OrderRef;
            paymentIntentRefs[i] = e.PaymentIntentRef;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<string[]>("providers", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = providers });
        command.Parameters.Add(new NpgsqlParameter<string[]>("event_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = eventIds });
        command.Parameters.Add(new NpgsqlParameter<string?[]>("event_types", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = eventTypes });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]>("received_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = receivedAt });
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("message_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { TypedValue = messageIds });
        command.Parameters.Add(new NpgsqlParameter<string[]>("headers", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = headers });
        command.Parameters.Add(new NpgsqlParameter<byte[][]>("bodies", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { TypedValue = bodies });
        command.Parameters.Add(new NpgsqlParameter<string?[]>("trace_parents", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = traceParents });
        command.Parameters.Add(new NpgsqlParameter<string?[]>("order_refs", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = orderRefs });
        command.Parameters.Add(
            new NpgsqlParameter<string?[]>("payment_intent_refs", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = paymentIntentRefs });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan>("lease", NpgsqlDbType.Interval) { TypedValue = outboxLease });

        var messageIdByKey = new Dictionary<(string, string), Guid>(count);
        for (var i = 0; i < count; i++)
        {
            messageIdByKey[(providers[i], eventIds[i])] = messageIds[i];
        }

        var stored = new Dictionary<(string, string), StoredRow>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = (reader.GetString(1), reader.GetString(2));
                stored[key] = new StoredRow(reader.GetInt64(0), messageIdByKey[key]);
            }
        }

        // The events and their outbox rows become durable together, here; only then may anyone answer 200.
        await transaction.CommitAsync(cancellationToken);
        return stored;
    }
}
