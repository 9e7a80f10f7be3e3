using Microsoft.Extensions.Options;
using Webhooks.Cli.Audit;
using Webhooks.Cli.Output;
using Webhooks.Infrastructure.Reconciliation;

namespace Webhooks.Cli.Reconciliation;

/// <summary>
/// <c>reconcile [--since 24h] [--dry-run] [--json]</c>: one reconciliation pass by hand, the processor's own
/// (<see cref="Reconciler"/>): the gateway's undelivered events since then, and those not stored yet stored
/// through the receivers' store and outbox (the relay publishes them, the processor applies each once).
/// A progress line on standard error while it pages; a summary; every pass that stores recorded in cli_audit.
/// </summary>
internal sealed class ReconcileHandler(
    Reconciler reconciler,
    AuditLog audit,
    CliOutput output,
    CliEnvironment environment,
    TimeProvider timeProvider,
    IOptions<ReconciliationOptions> options)
{
    public const string Action = "reconcile";

    public static readonly TimeSpan DefaultSince = TimeSpan.FromHours(24);

    public async Task<int> RunAsync(string? since, bool dryRun, bool json, CancellationToken cancellationToken)
    {
        var span = since is null ? DefaultSince : Durations.ParseSpan(since, "--since");
        if (span > ReconciliationOptions.MaxLookBack)
        {
            throw CliException.Usage($"--since '{since}' goes back further than 30 days, and Stripe's API keeps events for 30 days only.");
        }

        var settings = options.Value;
        if (!settings.Enabled)
        {
            throw new CliException(
                "Reconciliation is off: set Reconciliation__Stripe__ApiKey to a restricted key with read access to events and payment intents (see README).");
        }

        if (!dryRun)
        {
            // The schema first (the same scripts, under the same lock): a pass that stores must also be recorded.
            await audit.EnsureReadyAsync(cancellationToken);
        }

        var from = timeProvider.GetUtcNow() - span;
        var report = await output.WithStatusAsync("Asking Stripe for undelivered events", async status =>
        {
            var listed = 0;
            var pages = 0;
            return await reconciler.RunAsync(from, dryRun, $"cli ({environment.UserName}@{Environment.MachineName})", count =>
            {
                listed += count;
                pages++;
                status($"Listed {Counts.Events(listed)} the gateway did not deliver ({Counts.Of(pages, "page")})");
            }, cancellationToken);
        });

        // Like a replay: a pass that changed something, or could have, is recorded, also when it ended early.
        if (!dryRun && report.Listed > 0)
        {
            await audit.RecordAsync(
                new AuditEntry(Action, $"{settings.Stripe.Provider} events from {settings.Stripe.ApiBase} -> webhook_events", $"--since {Cells.Time(from)}",
                    report.Listed, report.Ingested, 0, [.. report.Events.Select(e => $"{settings.Stripe.Provider}/{e.Id}")],
                    report.Failure ?? (report.Stopped ? "stopped before the end" : $"{report.AlreadyStored} of {report.Listed} listed already stored")),
                CancellationToken.None);
        }

        if (!report.Complete)
        {
            var why = report.Failure?.TrimEnd('.') ?? $"Stopped before the end after listing {Counts.Events(report.Listed)}";
            throw new CliException(report.Ingested > 0 ? $"{why} ({Counts.Events(report.Ingested)} stored before that stay stored)." : $"{why}.");
        }

        if (json)
        {
            output.Json(new
            {
                report.Listed,
                report.AlreadyStored,
                report.Ingested,
                Events = report.Events.Select(e => new { EventId = e.Id, e.Type, e.Created }),
            });
            return CliExitCode.Success;
        }

        if (report.Events.Count > 0)
        {
            var table = new CliTable(CliColumn.Id("Event id"), new CliColumn("Type", Rank: 0, MinWidth: 16), new CliColumn("Created", Rank: 1, MinWidth: 20));
            foreach (var e in report.Events)
            {
                table.AddRow(e.Id, e.Type, Cells.Time(e.Created));
            }

            table.Caption = dryRun ? "not stored: a pass would store these" : "stored now, through the outbox";
            table.Write(output.Console);
        }

        var listedText = $"Stripe listed {Counts.Events(report.Listed)} it did not deliver since {Cells.Time(from)}: {report.AlreadyStored} already stored, ";
        output.Line(dryRun
            ? listedText + $"{report.Events.Count} not stored. Dry run: nothing was changed."
            : listedText + $"{report.Ingested} stored now (a receiver's outbox relay publishes them and the processor applies each once).");
        return CliExitCode.Success;
    }
}
