using Microsoft.Extensions.Options;
using Webhooks.Infrastructure.Hosting;

namespace Webhooks.Processor.Retention;

/// <summary>
/// Runs <see cref="EventRetention"/> every <c>Retention__Interval</c> on the injected clock, when
/// <c>Retention__Enabled</c>. Each batch commits on its own: what a failed run deleted stays deleted,
/// the rest waits for the next run.
/// </summary>
public sealed partial class EventRetentionJob(
    EventRetention retention,
    TimeProvider timeProvider,
    IOptions<RetentionOptions> options,
    ILogger<EventRetentionJob> logger) : PeriodicJob
{
    protected override TimeSpan Interval => options.Value.Interval;

    protected override string JobName => "Retention run";

    protected override TimeProvider Clock => timeProvider;

    protected override ILogger Logger => logger;

    protected override bool IsEnabled => options.Value.Enabled;

    protected override void OnStarted() => LogEnabled(options.Value.OlderThan, options.Value.Interval, options.Value.DryRun);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => retention.RunOnceAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention enabled: events older than {OlderThan}, every {Interval}, dry run {DryRun}")]
    private partial void LogEnabled(TimeSpan olderThan, TimeSpan interval, bool dryRun);
}
