using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Processor.Database;

namespace Webhooks.Processor.Retention;

/// <summary>
/// One retention run: deletes stored events that are old, published and processed, in bounded
/// batches, under an advisory lock so that of several processors one runs at a time.
/// <para>
/// <c>processed_events</c> rows are kept. Once an event's row is gone the receiver's unique key no
/// longer recognises a redelivery of it (a gateway's manual resend can come weeks later), so the
/// event is stored and published again; the processor's <c>processed_events</c> row is then what
/// keeps it from being applied twice. Those rows are small (no headers, no body).
/// </para>
/// </summary>
public sealed partial class EventRetention(
    NpgsqlDataSource dataSource,
    TimeProvider timeProvider,
    IOptions<RetentionOptions> options,
    ILogger<EventRetention> logger)
{
    private const string LockName = "retention";

    public async Task<RetentionRun> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var cutoff = timeProvider.GetUtcNow() - settings.OlderThan;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await SessionLock.TryTakeAsync(connection, LockName, cancellationToken))
        {
            LogSkipped();
            return RetentionRun.SkippedRun(cutoff, settings.DryRun);
        }

        try
        {
            return await RunLockedAsync(connection, settings, cutoff, cancellationToken);
        }
        finally
        {
            // A pooled connection outlives this run; a session lock left on it would block every later run.
            await SessionLock.ReleaseAsync(connection, LockName);
        }
    }

    private async Task<RetentionRun> RunLockedAsync(
        NpgsqlConnection connection, RetentionOptions settings, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var stored = await RetentionTable.CountStoredAsync(connection, cancellationToken);
        var candidates = await RetentionTable.CountDeletableAsync(connection, cutoff, cancellationToken);
        var allowed = (long)Math.Floor(stored * settings.MaxShare);
        var refused = candidates > allowed;
        if (refused)
        {
            LogRefused(candidates, stored, cutoff, settings.MaxShare, allowed);
        }

        if (refused || settings.DryRun)
        {
            if (settings.DryRun)
            {
                LogDryRun(candidates, stored, cutoff, refused);
            }

            return new RetentionRun(false, settings.DryRun, refused, cutoff, stored, candidates, 0, 0);
        }

        long deleted = 0;
        var batches = 0;
        var started = timeProvider.GetTimestamp();
        // Never more than counted: events published or processed during the run wait for the next
        // one, so the share checked above bounds what this run deletes.
        while (deleted < candidates)
        {
            var limit = (int)Math.Min(settings.BatchSize, candidates - deleted);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var count = await RetentionTable.DeleteBatchAsync(connection, transaction, cutoff, limit, cancellationToken);
            await transaction.CommitAsync(CancellationToken.None);
            if (count == 0)
            {
                // The rest are locked by someone else (a replay) or changed since the count.
                break;
            }

            deleted += count;
            batches++;
            if (deleted < candidates && settings.BatchPause > TimeSpan.Zero)
            {
                // Wall-clock on purpose: the pause paces the database, it is not a business time.
                await Task.Delay(settings.BatchPause, cancellationToken);
            }
        }

        var seconds = timeProvider.GetElapsedTime(started).TotalSeconds;
        LogDeleted(deleted, candidates, batches, cutoff, seconds);
        return new RetentionRun(false, false, false, cutoff, stored, candidates, deleted, batches);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Retention run skipped: another processor holds the lock")]
    private partial void LogSkipped();

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Retention refused: {Candidates} of {Stored} stored events received before {Cutoff:o} would be deleted, "
            + "more than Retention__MaxShare ({MaxShare}) allows ({Allowed}); nothing deleted. "
            + "Check the clock and Retention__OlderThan, or raise Retention__MaxShare for one run")]
    private partial void LogRefused(long candidates, long stored, DateTimeOffset cutoff, double maxShare, long allowed);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Retention dry run: {Candidates} of {Stored} stored events received before {Cutoff:o} would be deleted "
            + "(refused: {Refused}); nothing deleted")]
    private partial void LogDryRun(long candidates, long stored, DateTimeOffset cutoff, bool refused);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Retention: deleted {Deleted} of {Candidates} events received before {Cutoff:o} in {Batches} batches ({Seconds:0.0} s)")]
    private partial void LogDeleted(long deleted, long candidates, int batches, DateTimeOffset cutoff, double seconds);
}
