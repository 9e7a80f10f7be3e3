using Npgsql;
using NpgsqlTypes;

namespace Webhooks.Processor.Orders;

/// <summary>
/// A whole batch's work as one SQL statement (<c>ApplyStatement.sql</c>), after <see cref="OrderLocks"/>:
/// which events are new, which order each concerns (named, or found through its payment intent's link),
/// what each does (the rank decision, in arrival order within the batch), the links it makes, the
/// events it parks to wait for a link and those a new link releases, its <c>processed_events</c>
/// record, one upsert per order and per dispute that changes, and the dispute alerts due to Slack.
/// One row comes back per event, in the batch's order: its outcome, the order's status before and
/// after it, and the order it concerned; each row also carries the batch's <see cref="BatchEffects"/>.
/// </summary>
/// <remarks>
/// An event recorded earlier, or a second copy within the batch, is a duplicate and changes nothing.
/// For the others the state before an event is the higher of the stored one and what the batch's
/// earlier events set (statuses, versions and amounts refunded only move up), so the batch ends exactly
/// where applying its events one by one would. Every effect is a monotonic merge, so any delivery order,
/// and applying a waiting event later, end in the same rows.
/// </remarks>
internal static class ApplyStatement
{
    private static readonly string Sql = LoadSql();

    private static readonly string[] Ranks = [.. OrderStatusNames.InRankOrder];

    public static NpgsqlBatchCommand For(IReadOnlyList<OrderEvent> events, DateTimeOffset now)
    {
        var effect = events.Select(e => e.ConcernsAnOrder ? e : null).ToArray();
        return new NpgsqlBatchCommand(Sql)
        {
            Parameters =
            {
                Column("idx", NpgsqlDbType.Integer, events.Select((_, i) => i)),
                Column("provider", NpgsqlDbType.Text, events.Select(e => e.Provider)),
                Column("eventId", NpgsqlDbType.Text, events.Select(e => e.EventId)),
                Column("eventType", NpgsqlDbType.Text, events.Select(e => e.EventType)),
                Column("orderId", NpgsqlDbType.Text, effect.Select(e => e?.OrderId)),
                Column("paymentIntentId", NpgsqlDbType.Text, effect.Select(e => e?.PaymentIntentId)),
                Column("links", NpgsqlDbType.Boolean, effect.Select(e => e is { LinksPaymentIntent: true, OrderId: not null, PaymentIntentId: not null })),
                Column("receivedAt", NpgsqlDbType.TimestampTz, events.Select(e => e.ReceivedAt.ToUniversalTime())),
                Column("ignoredReason", NpgsqlDbType.Text, events.Select((e, i) => effect[i] is null ? e.IgnoredReason ?? "it has no effect on orders" : null)),
                Column("target", NpgsqlDbType.Text, effect.Select(e => e?.TargetStatus?.ToDatabaseValue())),
                Column("amount", NpgsqlDbType.Bigint, effect.Select(e => e?.Amounts?.Amount)),
                Column("currency", NpgsqlDbType.Text, effect.Select(e => e?.Amounts?.Currency)),
                Column("amountVersion", NpgsqlDbType.Bigint, effect.Select(e => e?.Amounts?.Version)),
                Column("amountRefunded", NpgsqlDbType.Bigint, effect.Select(e => e?.Amounts?.AmountRefunded)),
                Column("disputeId", NpgsqlDbType.Text, effect.Select(e => e?.Dispute?.DisputeId)),
                Column("disputeStatus", NpgsqlDbType.Text, effect.Select(e => e?.Dispute?.Status.ToDatabaseValue())),
                Column("gatewayStatus", NpgsqlDbType.Text, effect.Select(e => e?.Dispute?.GatewayStatus)),
                Column("disputeAmount", NpgsqlDbType.Bigint, effect.Select(e => e?.Dispute?.Amount)),
                Column("disputeCurrency", NpgsqlDbType.Text, effect.Select(e => e?.Dispute?.Currency)),
                Column("disputeReason", NpgsqlDbType.Text, effect.Select(e => e?.Dispute?.Reason)),
                Column("dueBy", NpgsqlDbType.TimestampTz, effect.Select(e => e?.Dispute?.DueBy?.ToUniversalTime())),
                Column("openedAt", NpgsqlDbType.TimestampTz, effect.Select(e => e?.Dispute?.OpenedAt?.ToUniversalTime())),
                Column("chargeId", NpgsqlDbType.Text, effect.Select(e => e?.Dispute?.ChargeId)),
                Column("disputeVersion", NpgsqlDbType.Bigint, effect.Select(e => e?.Dispute?.Version)),
                Column("fundsWithdrawnAt", NpgsqlDbType.TimestampTz, effect.Select(e => e?.Dispute?.FundsWithdrawnAt?.ToUniversalTime())),
                Column("fundsReinstatedAt", NpgsqlDbType.TimestampTz, effect.Select(e => e?.Dispute?.FundsReinstatedAt?.ToUniversalTime())),
                Column("closedAt", NpgsqlDbType.TimestampTz, effect.Select(e => e?.Dispute?.ClosedAt?.ToUniversalTime())),
                new NpgsqlParameter<DateTimeOffset>("now", NpgsqlDbType.TimestampTz) { TypedValue = now.ToUniversalTime() },
                new NpgsqlParameter<string[]>("ranks", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = Ranks },
            },
        };
    }

    /// <summary>The statement's rows, one per event in the batch's order, from <paramref name="reader"/> positioned on its result.</summary>
    public static async Task<(ApplyResult[] Results, BatchEffects Effects)> ReadAsync(
        NpgsqlDataReader reader, IReadOnlyList<OrderEvent> events, CancellationToken cancellationToken)
    {
        var results = new ApplyResult[events.Count];
        var effects = BatchEffects.None;
        var row = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (row >= results.Length)
            {
                throw new InvalidOperationException($"Applying a batch of {events.Count} events returned more rows than events.");
            }

            var e = events[row];
            OrderStatus? before = reader.IsDBNull(1) ? null : OrderStatusNames.Parse(reader.GetString(1));
            OrderStatus? after = reader.IsDBNull(2) ? null : OrderStatusNames.Parse(reader.GetString(2));
            var orderId = reader.IsDBNull(3) ? null : reader.GetString(3);
            if (row == 0)
            {
                effects = new BatchEffects(
                    Count(reader, 4), Count(reader, 5), Count(reader, 6), Count(reader, 7),
                    Count(reader, 8), Count(reader, 9), Count(reader, 10), Count(reader, 11));
            }

            results[row++] = reader.GetString(0) switch
            {
                "duplicate" => new ApplyResult(EventOutcome.Duplicate, null, null),
                "ignored" => new ApplyResult(EventOutcome.Ignored, null, null),
                "waiting" => new ApplyResult(EventOutcome.Waiting, null, null),
                "unchanged" => new ApplyResult(EventOutcome.Unchanged, before, after) { OrderId = orderId },
                "applied" => new ApplyResult(EventOutcome.Applied, before, after) { OrderId = orderId },
                var other => throw new InvalidOperationException($"Applying event {e.Provider}/{e.EventId} returned the outcome '{other}'."),
            };
        }

        if (row != results.Length)
        {
            throw new InvalidOperationException($"Applying a batch of {events.Count} events returned {row} rows.");
        }

        return (results, effects);
    }

    private static int Count(NpgsqlDataReader reader, int ordinal) => checked((int)reader.GetInt64(ordinal));

    private static NpgsqlParameter<T[]> Column<T>(string name, NpgsqlDbType type, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | type) { TypedValue = [.. values] };

    private static string LoadSql()
    {
        using var stream = typeof(ApplyStatement).Assembly.GetManifestResourceStream("Webhooks.Processor.Orders.ApplyStatement.sql")
            ?? throw new InvalidOperationException("The processor was built without Orders/ApplyStatement.sql.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
