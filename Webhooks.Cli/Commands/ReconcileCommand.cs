using System.CommandLine;
using Webhooks.Cli.Reconciliation;

namespace Webhooks.Cli.Commands;

/// <summary><c>reconcile</c>: one reconciliation pass with the gateway by hand.</summary>
internal static class ReconcileCommand
{
    public static Command Create(CliRun run)
    {
        var since = new Option<string?>("--since")
        {
            Description = "List the events the gateway did not deliver over this span (24h by default; at most 30d, what Stripe keeps).",
            HelpName = "D",
        };
        var dryRun = CommonOptions.DryRun("List and compare with the store; store nothing.");
        var json = new Option<bool>("--json") { Description = "Print JSON only: listed, alreadyStored, ingested and events (eventId, type, created)." };
        var command = new Command(
            "reconcile",
            "Ask Stripe's API (Reconciliation__Stripe__ApiKey) for the events it did not deliver (delivery_success=false) and store those "
            + "not stored yet, through the receivers' store and outbox: stored once, applied once, marked as reconciled in their headers. "
            + "The processor does the same every Reconciliation__Interval. Every pass that stores is recorded in the cli_audit table.")
        {
            since,
            dryRun,
            json,
        };
        command.SetAction((parse, ct) => run.Get<ReconcileHandler>().RunAsync(parse.GetValue(since), parse.GetValue(dryRun), parse.GetValue(json), ct));
        return command;
    }
}
