using System.CommandLine;
using Webhooks.Cli.DeadLetters;

namespace Webhooks.Cli.Commands;

/// <summary><c>dlq list|show|replay|purge</c>: the processor's dead-letter queue.</summary>
internal static class DlqCommand
{
    public static Command Create(CliRun run) => new("dlq", "Dead-lettered messages: the processor's <queue>_error (Processor__QueueName).")
    {
        List(run),
        Show(run),
        Replay(run),
        Purge(run),
    };

    private static Command List(CliRun run)
    {
        var limit = CommonOptions.Limit(DlqListHandler.DefaultLimit, "messages (the oldest); when more wait, standard error says how many");
        var json = CommonOptions.Json();
        var command = new Command(
            "list",
            "List dead-lettered messages, oldest first: message id, provider, event id, type, reason, exception, when, attempts. "
            + "Every message stays in place and in order.")
        {
            limit,
            json,
        };
        command.SetAction((parse, ct) => run.Get<DlqListHandler>().RunAsync(parse.GetValue(limit), parse.GetValue(json), ct));
        return command;
    }

    private static Command Show(CliRun run)
    {
        var id = CommonOptions.MessageId("The message id, as dlq list shows it.");
        var json = CommonOptions.Json();
        var command = new Command("show", "Show one dead-lettered message whole: headers, fault (exception and stack trace) and payload. It stays in place.")
        {
            id,
            json,
        };
        command.SetAction((parse, ct) => run.Get<DlqShowHandler>().RunAsync(parse.GetValue(id)!, parse.GetValue(json), ct));
        return command;
    }

    private static Command Replay(CliRun run)
    {
        var ids = CommonOptions.MessageIds("Message ids to replay.");
        var all = new Option<bool>("--all") { Description = "Replay every message in the dead-letter queue (narrow with --type and --limit)." };
        var type = CommonOptions.Type("Only messages whose event has this type, e.g. payment_intent.succeeded.");
        var limit = new Option<int?>("--limit") { Description = "Replay at most this many (the oldest first).", HelpName = "N" };
        var dryRun = CommonOptions.DryRun("Show what would be replayed; change nothing.");
        var json = new Option<bool>("--json")
        {
            Description = "Print JSON only: dryRun, queue, selected, replayed, failed, "
                + "messages (messageId, provider, eventId, type, backTo, error) and missingIds.",
        };
        var command = new Command(
            "replay",
            "Send dead-lettered messages back to the queue they failed from (MT-Fault-InputAddress), with their message id, "
            + "without the MT-Fault-*, MT-Reason and MT-Redelivery-Count headers. Each copy is published with a broker confirm "
            + "(mandatory, so a copy no queue would take is detected); only then is the message removed from the dead-letter queue, "
            + "and on any error it stays where it was. A crash between the confirm and the removal can leave a message in both "
            + "queues: harmless, as the processor applies each event once. Every replay is recorded in the cli_audit table.")
        {
            ids,
            all,
            type,
            limit,
            dryRun,
            json,
        };
        command.SetAction((parse, ct) => run.Get<DlqReplayHandler>().RunAsync(
            parse.ValuesOf(ids), parse.GetValue(all), parse.GetValue(type), parse.GetValue(limit), parse.GetValue(dryRun), parse.GetValue(json), ct));
        return command;
    }

    private static Command Purge(CliRun run)
    {
        var ids = CommonOptions.MessageIds("Message ids to delete.");
        var all = new Option<bool>("--all") { Description = "Delete every message in the dead-letter queue (narrow with --type)." };
        var type = CommonOptions.Type("Only messages whose event has this type.");
        var yes = CommonOptions.Yes("Do not ask (for scripts).");
        var force = new Option<bool>("--force") { Description = $"Needed with --all for more than {DlqPurgeHandler.ForceThreshold:N0} messages." };
        var command = new Command(
            "purge",
            "Delete dead-lettered messages for good. Shows what it would delete and asks first; only the messages shown are deleted. "
            + "It asks only when standard input is a terminal: without one (a pipe, a script) it refuses unless --yes is given, "
            + "and Ctrl-C at the question is a no. Every purge is recorded in the cli_audit table.")
        {
            ids,
            all,
            type,
            yes,
            force,
        };
        command.SetAction((parse, ct) => run.Get<DlqPurgeHandler>().RunAsync(
            parse.ValuesOf(ids), parse.GetValue(all), parse.GetValue(type), parse.GetValue(yes), parse.GetValue(force), ct));
        return command;
    }
}
