using Dapper;
using Npgsql;

namespace Webhooks.Processor.Telemetry;

/// <summary>
/// Finds the oldest stored event that the processor has neither processed (a <c>processed_events</c>
/// row) nor dead-lettered (a <c>dead_letter_alerts</c> row: it is counted, and alerted, as a dead
/// letter instead), without reading the whole store each time. It walks <c>webhook_events</c> in
/// <c>received_at</c> order from a low-water mark: every event at or before the mark is done, so a
/// sample reads only what came after it, which in steady state is the last few seconds. The first
/// walk of a store reads all of it, a slice per sample; until it is through the age is unknown
/// (null). The mark is kept in <c>processing_watermark</c>, so a restart resumes from it; it only
/// moves forward, also when several processors sample at once.
/// </summary>
public sealed class OldestUnprocessedEvent(TimeProvider clock) : IDisposable
{
    // The metrics sampler and the stuck-order scan's backlog alert both walk; one at a time keeps the mark consistent.
    private readonly SemaphoreSlim _walking = new(1, 1);

    private const int BatchSize = 5000;

    // An event is stored with the receiver's time before its transaction commits, so a younger event
    // may become visible before an older one; the mark passes only events older than this, so an
    // event that commits late is never skipped.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    // Per sample, at most this long walking (the first walk of a large store takes several samples).
    private static readonly TimeSpan WalkBudget = TimeSpan.FromSeconds(3);

    private const string MarkName = "oldest-unprocessed-event";

    private DateTime _markAt = DateTime.UnixEpoch;
    private long _markId;
    private bool _markLoaded;

    /// <summary>The oldest unprocessed event's age; zero when there is none; null while the walk has not reached the end of the store yet.</summary>
    public async Task<TimeSpan?> AgeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await _walking.WaitAsync(cancellationToken);
        try
        {
            return await AgeOnceAsync(connection, cancellationToken);
        }
        finally
        {
            _walking.Release();
        }
    }

    public void Dispose() => _walking.Dispose();

    private async Task<TimeSpan?> AgeOnceAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (!_markLoaded)
        {
            await LoadMarkAsync(connection, cancellationToken);
        }

        var (startAt, startId) = (_markAt, _markId);
        try
        {
            return await WalkAsync(connection, cancellationToken);
        }
        finally
        {
            if ((_markAt, _markId) != (startAt, startId))
            {
                await SaveMarkAsync(connection, CancellationToken.None);
            }
        }
    }

    private async Task<TimeSpan?> WalkAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var walkStarted = clock.GetTimestamp();
        var (cursorAt, cursorId) = (_markAt, _markId);
        var advancing = true;
        while (clock.GetElapsedTime(walkStarted) < WalkBudget)
        {
            var batch = (await connection.QueryAsync<(long Id, DateTime ReceivedAt, bool Done)>(new CommandDefinition(
                """
                SELECT e.id, e.received_at,
                       EXISTS (SELECT 1 FROM processed_events p WHERE p.provider = e.provider AND p.event_id = e.event_id)
                       OR (e.provider, e.event_id) IN
                          (SELECT d.provider, d.event_id FROM dead_letter_alerts d WHERE d.provider IS NOT NULL AND d.event_id IS NOT NULL)
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

    private async Task LoadMarkAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var mark = await connection.QuerySingleOrDefaultAsync<(DateTime ReceivedAt, long EventRowId)?>(new CommandDefinition(
            "SELECT received_at, event_row_id FROM processing_watermark WHERE name = @name",
            new { name = MarkName },
            cancellationToken: cancellationToken));
        if (mark is { } found)
        {
            (_markAt, _markId) = (found.ReceivedAt, found.EventRowId);
        }

        _markLoaded = true;
    }

    private async Task SaveMarkAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO processing_watermark AS w (name, received_at, event_row_id, updated_at)
            VALUES (@name, @markAt, @markId, now())
            ON CONFLICT (name) DO UPDATE SET received_at = excluded.received_at, event_row_id = excluded.event_row_id, updated_at = now()
            WHERE (excluded.received_at, excluded.event_row_id) > (w.received_at, w.event_row_id)
            """,
            new { name = MarkName, markAt = _markAt, markId = _markId },
            cancellationToken: cancellationToken));
}
