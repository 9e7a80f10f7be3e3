using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Infrastructure.Hosting;
using Webhooks.Infrastructure.Reconciliation;
using Webhooks.Processor.Database;
using Webhooks.Processor.Slack;

namespace Webhooks.Processor.Reconciliation;

/// <summary>
/// Every <c>Reconciliation__Interval</c> (and at start), when <c>Reconciliation__Stripe__ApiKey</c> is set:
/// one <see cref="Reconciler"/> pass over <c>Reconciliation__LookBack</c>, by one processor at a time (a
/// session advisory lock: the pass commits page by page). A pass that fails is logged in one sentence and
/// the next comes as usual; what it stored stays stored, and the next pass finds it stored. Events it stored
/// are told to Slack (<see cref="RecoveredEventsMessages"/>).
/// </summary>
public sealed partial class ReconciliationJob(
    NpgsqlDataSource dataSource,
    Reconciler reconciler,
    IAlertChannel alerts,
    TimeProvider timeProvider,
    IOptions<ReconciliationOptions> options,
    ReconciliationWake wake,
    ILogger<ReconciliationJob> logger) : PeriodicJob
{
    private const string LockName = "reconciliation";

    protected override TimeSpan Interval => options.Value.Interval;

    protected override string JobName => "Reconciliation pass";

    protected override TimeProvider Clock => timeProvider;

    protected override ILogger Logger => logger;

    protected override bool IsEnabled => options.Value.Enabled;

    protected override bool RunAtStart => true;

    protected override JobWake WakeSource => wake;

    protected override void OnStarted() => LogEnabled(options.Value.Stripe.ApiBase, options.Value.Interval, options.Value.LookBack);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => PassAsync(cancellationToken);

    /// <summary>One pass; null when another processor held the lock.</summary>
    public async Task<ReconcileReport?> PassAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (!await SessionLock.TryTakeAsync(connection, LockName, cancellationToken))
        {
            return null;
        }

        try
        {
            var report = await reconciler.RunAsync(timeProvider.GetUtcNow() - options.Value.LookBack, dryRun: false, "processor", null, cancellationToken);
            if (report.Listed > 0 || !report.Complete)
            {
                LogPass(report.Listed, report.AlreadyStored, report.Ingested);
            }

            if (report.Failure is { } failure)
            {
                LogFailed(failure, Interval);
            }

            if (report.Ingested > 0)
            {
                // Told once: a later pass finds these stored. A post Slack did not take is in the log line above.
                await alerts.PostAsync(RecoveredEventsMessages.Recovered(report, timeProvider.GetUtcNow()), CancellationToken.None);
            }

            return report;
        }
        finally
        {
            await SessionLock.ReleaseAsync(connection, LockName);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reconciliation pass ended early: {Failure} Next pass in {Interval}.")]
    private partial void LogFailed(string failure, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconciliation on: Stripe's API at {ApiBase}, every {Interval}, looking back {LookBack}")]
    private partial void LogEnabled(string apiBase, TimeSpan interval, TimeSpan lookBack);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Reconciliation: the gateway listed {Listed} undelivered events, {AlreadyStored} already stored, {Ingested} stored now")]
    private partial void LogPass(int listed, int alreadyStored, int ingested);
}
