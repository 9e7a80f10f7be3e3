using System.Globalization;
using System.Text;
using Webhooks.Tests.Cli.Support;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Cli;

/// <summary>Every table the CLI prints stays readable at 100 columns: no line wider, ids whole, less important columns left out.</summary>
public class CliTableWidthTests
{
    private const int Width = 100;

    private static readonly Dictionary<string, string> Narrow = new() { ["COLUMNS"] = Width.ToString(CultureInfo.InvariantCulture) };

    [Test]
    public async Task EveryTable_At100Columns_FitsAndKeepsItsIdsWhole()
    {
        await using var schema = await CliSchema.CreateMigratedAsync();
        var settings = schema.Settings();
        var eventId = "evt_" + Guid.NewGuid().ToString("N")[..24];
        await StoredEventSeed.InsertAsync(schema, "stripe", eventId, "payment_intent.payment_failed", TimeProvider.System.GetUtcNow(),
            "{\"id\":\"" + eventId + "\",\"data\":{\"object\":{\"metadata\":{\"order_id\":\"order_" + new string('x', 150) + "\"}}}}");
        await schema.ExecuteAsync(
            """
            INSERT INTO orders (order_id, status, pending_since, created_at, updated_at, last_provider, last_event_id, last_event_type)
            VALUES ('order_2f4e9a0c1b7d4e8f9a3b', 'pending', now() - interval '2 hours', now(), now(), 'stripe', @eventId, 'payment_intent.created')
            """,
            new { eventId });
        var messageIds = await CliQueues.FillAsync(settings.ErrorQueueName, 3, headers: FaultHeaders(), body: Envelope(eventId));
        try
        {
            (string[] Args, string Whole)[] commands =
            [
                (["dlq", "list"], messageIds[0]),
                (["dlq", "replay", "--all", "--dry-run"], messageIds[0]),
                (["dlq", "purge", "--all"], messageIds[0]),
                (["dlq", "show", messageIds[1]], messageIds[1]),
                (["events", "list"], eventId),
                (["events", "replay", "--since", "1h", "--dry-run"], eventId),
                (["events", "show", "stripe", eventId], eventId),
                (["orders", "stuck", "--older-than", "0s"], "order_2f4e9a0c1b7d4e8f9a3b"),
            ];
            foreach (var (args, whole) in commands)
            {
                var result = await CliProcess.RunWithAsync(settings, null, Narrow, args);
                // A failure's one sentence is text for the terminal to wrap, not a table: left out.
                var stderr = result.ExitCode == 0 ? result.StderrLines : result.StderrLines.SkipLast(1);
                var lines = result.Stdout.Split('\n').Concat(stderr).ToList();

                Assert.That(result.ExitCode, args[1] == "purge" ? Is.EqualTo(1) : Is.Zero, result.ToString());
                Assert.That(lines.Where(l => Columns(l) > Width), Is.Empty, $"webhooks {string.Join(' ', args)}:\n{result}");
                Assert.That(lines.Any(l => l.Contains(whole, StringComparison.Ordinal)), Is.True, $"{whole} on one line in:\n{result}");
            }

            var wide = await CliProcess.RunAsync(settings, "dlq", "list");
            Assert.That(wide.Stdout.Split('\n').Max(Columns), Is.GreaterThan(Width), "without COLUMNS, redirected output is wide: the check above can fail");
            var narrow = await CliProcess.RunWithAsync(settings, null, Narrow, "dlq", "list");
            Assert.That(narrow.Stdout, Does.Contain("left out at 100 columns"), "the caption names what it left out");
        }
        finally
        {
            await CliQueues.DeleteAsync([settings.ErrorQueueName], []);
        }
    }

    private static int Columns(string line) => new StringInfo(line.TrimEnd('\r')).LengthInTextElements;

    private static Dictionary<string, object?> FaultHeaders() => new()
    {
        ["MT-Fault-Message"] = Encoding.UTF8.GetBytes(
            "23514: new row for relation \"orders\" violates check constraint \"orders_status_check\"\n\n"
            + "DETAIL: Detail redacted as it may contain sensitive data. "
            + "Specify 'Include Error Detail' in the connection string to include this information."),
        ["MT-Fault-ExceptionType"] = "Npgsql.PostgresException"u8.ToArray(),
        ["MT-Fault-Timestamp"] = Encoding.UTF8.GetBytes(TimeProvider.System.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)),
        ["MT-Fault-InputAddress"] = "rabbitmq://127.0.0.1:5672/payment-event-received"u8.ToArray(),
        ["MT-Fault-StackTrace"] = Encoding.UTF8.GetBytes(string.Join('\n', Enumerable.Repeat(
            "   at Webhooks.Processor.Orders.Something.ApplyAsync(OrderEvent e) in /src/Webhooks.Processor/Orders/Something.cs:line 42", 5))),
    };

    private static string Envelope(string eventId) =>
        "{\"messageId\":\"x\",\"message\":{\"provider\":\"stripe\",\"eventId\":\"" + eventId
        + "\",\"eventType\":\"payment_intent.payment_failed\",\"payload\":\""
        + TestEvents.StripeBody(eventId, "payment_intent.payment_failed", "order_1").Replace("\"", "\\\"", StringComparison.Ordinal) + "\"}}";
}
