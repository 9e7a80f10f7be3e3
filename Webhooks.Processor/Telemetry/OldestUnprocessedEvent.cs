using System.Diagnostics;
using Dapper;
using Npgsql;

namespace Webhooks.Processor.Telemetry;

/// <summary>
/// Finds the oldest stored event that the processor has neither processed (a <c>processed_events</c>
/// row) nor dead-lettered (a <c>dead_letter_alerts</c> row: it is counted, and alerted, as a dead
/// letter instead), without reading the whole store each time. It walks <c>webhook_events</c> in
/// <c>received_at</c> order from a low-water mark: every event at or before the mark is done, so a
/// sample reads only what came after it, which in steady state is the last few seconds. The first
/// walk after a start reads the whole store, a slice per sample; until it is through the age is
/// unknown (null).
/// </summary>
public sealed class OldestUnprocessedEvent(TimeProvider clock)
{
    private const int BatchSize = 5000;

    // An event is stored with the receiver's time before its transaction commits, so a younger event
    // may become visible before an older one; the mark passes only events older than this, so an
    // event that commits late is never skipped.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    // Per sample, at most this long walking (the first walk of a large store takes several samples).
    private static readonly TimeSpan WalkBudget = TimeSpan.FromSeconds(3);

    private DateTime _markAt = DateTime.UnixEpoch;
    private long _markId;

    /// <summary>The oldest unprocessed event's age; zero when there is none; null while the walk has not reached the end of the store yet.</summary>
    public async Task<TimeSpan?> AgeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var walking = Stopwatch.StartNew();
        var (cursorAt, cursorId) = (_markAt, _markId);
        var advancing = true;
        while (walking.Elapsed < WalkBudget)
        {
            var batch = (await connection.QueryAsync<(long Id, DateTime ReceivedAt, bool Done)>(new CommandDefinition(
                """
                SELECT e.id, e.received_at,
                       EXISTS (SELECT 1 FROM processed_events p WHERE p.provider = e.provider AND p.event_id = e.event_id)
                       OR (e.provider, e.event_id) IN (SELECT d.provider, d.event_id FROM dead_letter_alerts d WHERE d.provider IS NOT NULL AND d.event_id IS NOT NULL)
                FROM webhook_events e
                WHERE e.received_at >= @cursorAt AND (e.received_at > @cursorAt OR e.id > @cursorId)
                ORDER BY e.received_at, e.id
                LIMIT @batchSize
                """,
                new { cursorAt, cursorId, batchSize = BatchSize },
                cancellationToken: cancellationToken))).AsList();
            foreach (var (id, receivedAt, done) in batch)
            {
                if (!done)
                {
                    return now - receivedAt;
                }

                advancing &= receivedAt <= now - Settle;
                if (advancing)
                {
                    (_markAt, _markId) = (receivedAt, id);
                }
            }

            if (batch.Count < BatchSize)
            {
                return TimeSpan.Zero;
            }

            (cursorAt, cursorId) = (batch[^1].ReceivedAt, batch[^1].Id);
        }

        return null;
    }
}
