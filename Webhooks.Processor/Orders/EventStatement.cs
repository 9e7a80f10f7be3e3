using Npgsql;
using NpgsqlTypes;

namespace Webhooks.Processor.Orders;

/// <summary>
/// One event's whole work as one SQL statement, inside a transaction its caller owns: the order row
/// is locked (so two events for one order on two transactions cannot interleave), the event is
/// recorded in <c>processed_events</c> with its outcome, and only if that record is new is the order
/// created or moved up. A redelivery finds its record and changes nothing.
/// </summary>
/// <remarks>
/// The statement returns one row: the outcome, the order's status before (the locked row's), and
/// whether the event was recorded now (false: a <see cref="EventOutcome.Duplicate"/>, nothing changed).
/// An order unknown to the statement's snapshot but created by another transaction meanwhile makes
/// the creation fail with a unique violation on <c>orders_pkey</c> (<see cref="IsCreatedMeanwhile"/>):
/// the caller rolls back and runs the statement again, which then finds and locks that order.
/// </remarks>
internal static class EventStatement
{
    // The three detail texts are the ones processed_events has always held for these outcomes.
    private const string ApplyToOrderSql =
        """
        WITH locked AS (
            SELECT status FROM orders WHERE order_id = @orderId FOR UPDATE
        ),
        decision AS (
            SELECT locked.status AS before,
                   CASE WHEN locked.status IS NULL
                          OR array_position(@ranks, @target) > array_position(@ranks, locked.status)
                        THEN 'applied' ELSE 'unchanged' END AS outcome
            FROM (VALUES (1)) AS one LEFT JOIN locked ON true
        ),
        recorded AS (
            INSERT INTO processed_events (provider, event_id, event_type, order_id, outcome, detail, processed_at)
            SELECT @provider, @eventId, @eventType, @orderId, outcome,
                   CASE WHEN before IS NULL THEN 'created as ' || @target
                        WHEN outcome = 'applied' THEN before || ' -> ' || @target
                        ELSE 'the order is already ' || before END,
                   @now
            FROM decision
            ON CONFLICT (provider, event_id) DO NOTHING
            RETURNING 1
        ),
        created AS (
            INSERT INTO orders (order_id, status, pending_since, created_at, updated_at, last_provider, last_event_id, last_event_type)
            SELECT @orderId, @target, @pendingSince, @now, @now, @provider, @eventId, @eventType
            FROM decision
            WHERE before IS NULL AND EXISTS (SELECT FROM recorded)
        ),
        moved AS (
            UPDATE orders
            SET status = @target, pending_since = NULL, updated_at = @now,
                last_provider = @provider, last_event_id = @eventId, last_event_type = @eventType
            FROM decision
            WHERE orders.order_id = @orderId AND decision.outcome = 'applied' AND decision.before IS NOT NULL
              AND EXISTS (SELECT FROM recorded)
        )
        SELECT outcome, before, EXISTS (SELECT FROM recorded) AS recorded FROM decision
        """;

    private const string RecordIgnoredSql =
        """
        WITH recorded AS (
            INSERT INTO processed_events (provider, event_id, event_type, order_id, outcome, detail, processed_at)
            VALUES (@provider, @eventId, @eventType, @orderId, 'ignored', @ignoredReason, @now)
            ON CONFLICT (provider, event_id) DO NOTHING
            RETURNING 1
        )
        SELECT 'ignored' AS outcome, NULL::text AS before, EXISTS (SELECT FROM recorded) AS recorded
        """;

    private static readonly string[] Ranks = [.. OrderStatusNames.InRankOrder];

    public static NpgsqlBatchCommand For(OrderEvent orderEvent, DateTimeOffset now)
    {
        var command = new NpgsqlBatchCommand(orderEvent.ConcernsAnOrder ? ApplyToOrderSql : RecordIgnoredSql);
        var parameters = command.Parameters;
        parameters.Add(Text("provider", orderEvent.Provider));
        parameters.Add(Text("eventId", orderEvent.EventId));
        parameters.Add(Text("eventType", orderEvent.EventType));
        parameters.Add(Text("orderId", orderEvent.OrderId));
        parameters.Add(new NpgsqlParameter<DateTimeOffset>("now", NpgsqlDbType.TimestampTz) { TypedValue = now.ToUniversalTime() });
        if (orderEvent.ConcernsAnOrder)
        {
            var target = orderEvent.TargetStatus!.Value;
            parameters.Add(Text("target", target.ToDatabaseValue()));
            parameters.Add(new NpgsqlParameter<string[]>("ranks", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = Ranks });
            parameters.Add(new NpgsqlParameter("pendingSince", NpgsqlDbType.TimestampTz)
            {
                Value = target == OrderStatus.Pending ? orderEvent.ReceivedAt.ToUniversalTime() : DBNull.Value,
            });
        }
        else
        {
            parameters.Add(Text("ignoredReason", orderEvent.IgnoredReason));
        }

        return command;
    }

    /// <summary>The statement's row, read from <paramref name="reader"/> positioned on its result.</summary>
    public static async Task<ApplyResult> ReadAsync(NpgsqlDataReader reader, OrderEvent orderEvent, CancellationToken cancellationToken)
    {
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"Applying event {orderEvent.Provider}/{orderEvent.EventId} returned no row.");
        }

        var outcome = reader.GetString(0);
        OrderStatus? before = reader.IsDBNull(1) ? null : OrderStatusNames.Parse(reader.GetString(1));
        if (!reader.GetBoolean(2))
        {
            return new ApplyResult(EventOutcome.Duplicate, null, null);
        }

        return outcome switch
        {
            "ignored" => new ApplyResult(EventOutcome.Ignored, null, null),
            "unchanged" => new ApplyResult(EventOutcome.Unchanged, before, before),
            "applied" => new ApplyResult(EventOutcome.Applied, before, orderEvent.TargetStatus),
            _ => throw new InvalidOperationException($"Applying event {orderEvent.Provider}/{orderEvent.EventId} returned the outcome '{outcome}'."),
        };
    }

    /// <summary>The order was created by another transaction after this statement's snapshot: run it again.</summary>
    public static bool IsCreatedMeanwhile(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "orders_pkey" };

    private static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };
}
