using System.CommandLine;
using Webhooks.Cli.Events;

namespace Webhooks.Cli.Commands;

/// <summary><c>events list|show|replay</c>: the receiver's store of every authentic event.</summary>
internal static class EventsCommand
{
    public static Command Create(CliRun run) => new("events", "Stored webhook events (the receiver's webhook_events table).")
    {
        List(run),
        Show(run),
        Replay(run),
    };

    private static Command List(CliRun run)
    {
        var provider = new Option<string?>("--provider") { Description = "Only events from this provider, e.g. stripe.", HelpName = "P" };
        var type = CommonOptions.Type("Only events of this type.");
        var since = new Option<string?>("--since")
        {
            Description = "Only events received in the last 1h, 30m, 2d ... or since a time (2026-01-31T12:00:00Z).",
            HelpName = "T",
        };
        var limit = CommonOptions.Limit(EventsListHandler.DefaultLimit, "events (the newest); when more match, standard error says so");
        var json = CommonOptions.Json();
        var command = new Command("list", "List stored events, newest first.") { provider, type, since, limit, json };
        command.SetAction((parse, ct) => run.Get<EventsListHandler>().RunAsync(
            parse.GetValue(provider), parse.GetValue(type), parse.GetValue(since), parse.GetValue(limit), parse.GetValue(json), ct));
        return command;
    }

    private static Command Show(CliRun run)
    {
        var provider = new Argument<string>("provider") { Description = "The provider the event came from, e.g. stripe." };
        var eventId = new Argument<string>("event-id") { Description = "The event's idempotency key, e.g. evt_..." };
        var json = CommonOptions.Json();
        var command = new Command("show", "Show one stored event: headers, message id, outbox state and the raw body exactly as received.")
        {
            provider,
            eventId,
            json,
        };
        command.SetAction((parse, ct) => run.Get<EventsShowHandler>().RunAsync(parse.GetValue(provider)!, parse.GetValue(eventId)!, parse.GetValue(json), ct));
        return command;
    }

    private static Command Replay(CliRun run)
    {
        var provider = new Argument<string?>("provider")
        {
            Description = "The provider of the events (with --since: only this provider's).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var ids = CommonOptions.Ids("event-id", "Event ids to publish again.");
        var since = new Option<string?>("--since")
        {
            Description = "Replay every event received since this time or span (1h, 2026-01-31T12:00:00Z).",
            HelpName = "T",
        };
        var until = new Option<string?>("--until") { Description = "With --since: only events received before this time or span ago.", HelpName = "T" };
        var dryRun = CommonOptions.DryRun("Show what would be published; change nothing.");
        var yes = CommonOptions.Yes(
            $"Do not ask before a range of more than {EventsReplayHandler.ConfirmThreshold:N0} events "
            + "(without a terminal on standard input such a range needs --yes).");
        var wait = new Option<string?>("--wait")
        {
            Description = $"How long to wait for the outbox relay to publish them (default {EventsReplayHandler.DefaultWait.TotalSeconds:0}s; 0: do not wait).",
            HelpName = "D",
        };
        var command = new Command(
            "replay",
            "Publish stored events again as PaymentEventReceived with their original message ids. They are put back in the receivers' "
            + "outbox, whose relay publishes them to Broker__EventExchange (mandatory, confirmed) like any stored event, so a replay "
            + "survives a broker outage; a receiver must be running. The processor applies each event once, so a replay of an event "
            + "it already has changes nothing. Every replay is recorded in the cli_audit table.")
        {
            provider,
            ids,
            since,
            until,
            dryRun,
            yes,
            wait,
        };
        command.SetAction((parse, ct) => run.Get<EventsReplayHandler>().RunAsync(
            parse.GetValue(provider),
            parse.ValuesOf(ids),
            parse.GetValue(since),
            parse.GetValue(until),
            parse.GetValue(dryRun),
            parse.GetValue(yes),
            parse.GetValue(wait),
            ct));
        return command;
    }
}
