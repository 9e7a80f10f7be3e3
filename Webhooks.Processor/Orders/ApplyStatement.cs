using Npgsql;
using NpgsqlTypes;

namespace Webhooks.Processor.Orders;

/// <summary>
/// A whole batch's work as one SQL statement, after <see cref="OrderLocks"/>: which events are new,
/// what each does to its order (the rank decision, in arrival order within the batch), their
/// <c>processed_events</c> records, and one upsert per order that moves. One row comes back per event,
/// in the batch's order: its outcome, the order's status before it, and whether it was recorded now.
/// </summary>
/// <remarks>
/// An event recorded earlier, or a second copy within the batch, is a duplicate and changes nothing.
/// For the others the order's status before an event is the higher of the stored status and the
/// targets of the batch's earlier events for that order (statuses only move up), so the batch ends
/// exactly where applying its events one by one would. The stored rows are read without row locks:
/// the advisory locks already keep every other writer away from these orders.
/// </remarks>
internal static class ApplyStatement
{
    private const string Sql =
        """
        WITH input AS (
            SELECT *
            FROM unnest(@idx, @provider, @eventId, @eventType, @orderId, @target, @receivedAt, @ignoredReason)
                AS t(idx, provider, event_id, event_type, order_id, target, received_at, ignored_reason)
        ),
        fresh AS (
            SELECT DISTINCT ON (i.provider, i.event_id) i.*
            FROM input i
            WHERE NOT EXISTS (SELECT FROM processed_events p WHERE p.provider = i.provider AND p.event_id = i.event_id)
            ORDER BY i.provider, i.event_id, i.idx
        ),
        stored AS (
            SELECT o.order_id, array_position(@ranks, o.status) AS stored_rank
            FROM orders o
            WHERE o.order_id IN (SELECT order_id FROM fresh WHERE target IS NOT NULL)
        ),
        sequenced AS (
            SELECT f.*,
                   array_position(@ranks, f.target) AS target_rank,
                   s.stored_rank IS NULL AND row_number() OVER w = 1 AS creates,
                   GREATEST(s.stored_rank, max(array_position(@ranks, f.target)) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) AS before_rank
            FROM fresh f LEFT JOIN stored s ON s.order_id = f.order_id
            WHERE f.target IS NOT NULL
            WINDOW w AS (PARTITION BY f.order_id ORDER BY f.idx)
        ),
        decided AS (
            SELECT q.*,
                   CASE WHEN q.creates OR q.target_rank > q.before_rank THEN 'applied' ELSE 'unchanged' END AS outcome,
                   (@ranks)[q.before_rank] AS before
            FROM sequenced q
        ),
        recorded AS (
            INSERT INTO processed_events (provider, event_id, event_type, order_id, outcome, detail, processed_at)
            SELECT provider, event_id, event_type, order_id, outcome,
                   CASE WHEN creates THEN 'created as ' || target
                        WHEN outcome = 'applied' THEN before || ' -> ' || target
                        ELSE 'the order is already ' || before END,
                   @now
            FROM decided
            UNION ALL
            SELECT provider, event_id, event_type, order_id, 'ignored', ignored_reason, @now
            FROM fresh
            WHERE target IS NULL
            ON CONFLICT (provider, event_id) DO NOTHING
            RETURNING provider, event_id
        ),
        moves AS (
            SELECT DISTINCT ON (d.order_id) d.order_id, d.target, d.received_at, d.provider, d.event_id, d.event_type
            FROM decided d
            JOIN recorded r ON r.provider = d.provider AND r.event_id = d.event_id
            WHERE d.outcome = 'applied'
            ORDER BY d.order_id, d.idx DESC
        ),
        upserted AS (
            INSERT INTO orders AS o (order_id, status, pending_since, created_at, updated_at, last_provider, last_event_id, last_event_type)
            SELECT order_id, target, CASE WHEN target = 'pending' THEN received_at END, @now, @now, provider, event_id, event_type
            FROM moves
            ORDER BY order_id
            ON CONFLICT (order_id) DO UPDATE
            SET status = EXCLUDED.status, pending_since = EXCLUDED.pending_since, updated_at = EXCLUDED.updated_at,
                last_provider = EXCLUDED.last_provider, last_event_id = EXCLUDED.last_event_id, last_event_type = EXCLUDED.last_event_type
            WHERE array_position(@ranks, EXCLUDED.status) > array_position(@ranks, o.status)
        )
        SELECT CASE WHEN f.idx IS NULL OR r.event_id IS NULL THEN 'duplicate' ELSE coalesce(d.outcome, 'ignored') END AS outcome,
               CASE WHEN d.creates THEN NULL ELSE d.before END AS before
        FROM input i
        LEFT JOIN fresh f ON f.idx = i.idx
        LEFT JOIN recorded r ON f.idx IS NOT NULL AND r.provider = i.provider AND r.event_id = i.event_id
        LEFT JOIN decided d ON d.idx = i.idx
        ORDER BY i.idx
        """;

    private static readonly string[] Ranks = [.. OrderStatusNames.InRankOrder];

    public static NpgsqlBatchCommand For(IReadOnlyList<OrderEvent> events, DateTimeOffset now)
    {
        var count = events.Count;
        var idx = new int[count];
        var provider = new string[count];
        var eventId = new string[count];
        var eventType = new string?[count];
        var orderId = new string?[count];
        var target = new string?[count];
        var receivedAt = new DateTimeOffset[count];
        var ignoredReason = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var e = events[i];
            idx[i] = i;
            provider[i] = e.Provider;
            eventId[i] = e.EventId;
            eventType[i] = e.EventType;
            orderId[i] = e.ConcernsAnOrder ? e.OrderId : null;
            target[i] = e.ConcernsAnOrder ? e.TargetStatus!.Value.ToDatabaseValue() : null;
            receivedAt[i] = e.ReceivedAt.ToUniversalTime();
            ignoredReason[i] = e.ConcernsAnOrder ? null : e.IgnoredReason;
        }

        return new NpgsqlBatchCommand(Sql)
        {
            Parameters =
            {
                new NpgsqlParameter<int[]>("idx", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = idx },
                Texts("provider", provider),
                Texts("eventId", eventId),
                Texts("eventType", eventType),
                Texts("orderId", orderId),
                Texts("target", target),
                new NpgsqlParameter<DateTimeOffset[]>("receivedAt", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { TypedValue = receivedAt },
                Texts("ignoredReason", ignoredReason),
                new NpgsqlParameter<DateTimeOffset>("now", NpgsqlDbType.TimestampTz) { TypedValue = now.ToUniversalTime() },
                new NpgsqlParameter<string[]>("ranks", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = Ranks },
            },
        };
    }

    /// <summary>The statement's rows, one per event in the batch's order, from <paramref name="reader"/> positioned on its result.</summary>
    public static async Task<ApplyResult[]> ReadAsync(NpgsqlDataReader reader, IReadOnlyList<OrderEvent> events, CancellationToken cancellationToken)
    {
        var results = new ApplyResult[events.Count];
        var row = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (row >= results.Length)
            {
                throw new InvalidOperationException($"Applying a batch of {events.Count} events returned more rows than events.");
            }

            var e = events[row];
            OrderStatus? before = reader.IsDBNull(1) ? null : OrderStatusNames.Parse(reader.GetString(1));
            results[row++] = reader.GetString(0) switch
            {
                "duplicate" => new ApplyResult(EventOutcome.Duplicate, null, null),
                "ignored" => new ApplyResult(EventOutcome.Ignored, null, null),
                "unchanged" => new ApplyResult(EventOutcome.Unchanged, before, before),
                "applied" => new ApplyResult(EventOutcome.Applied, before, e.TargetStatus),
                var other => throw new InvalidOperationException($"Applying event {e.Provider}/{e.EventId} returned the outcome '{other}'."),
            };
        }

        if (row != results.Length)
        {
            throw new InvalidOperationException($"Applying a batch of {events.Count} events returned {row} rows.");
        }

        return results;
    }

    private static NpgsqlParameter<string?[]> Texts(string name, string?[] values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = values };
}
