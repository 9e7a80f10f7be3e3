using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MassTransit.UsageTracking;
using Webhooks.Tests.Cli.Support;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Telemetry;

/// <summary>
/// Logs for operators, read from the real processes' standard output: every line starts with its UTC
/// ISO 8601 time, a dead letter is one line with its exception's type and message (no stack trace),
/// <c>Logging__Console__FormatterName=json</c> gives JSON lines; and MassTransit never reports usage home.
/// </summary>
public partial class ConsoleLogTests
{
    [Test]
    public async Task RealServices_EveryLineHasAUtcTimestamp_AndEachDeadLetterIsOneLineWithItsException()
    {
        await using var slack = await SlackListener.StartAsync();
        await using var schema = await CliSchema.CreateMigratedAsync();
        var exchange = TestEnvironment.UniqueName("log-events");
        var queue = TestEnvironment.UniqueName("log-processor");
        var shared = Settings(schema, exchange, queue);
        await using var processor = await ServiceProcess.StartAsync("Webhooks.Processor", With(shared, ("Slack__WebhookUrl", slack.Url)));
        await using var receiver = await ServiceProcess.StartAsync("Webhooks.Receiver", With(shared,
            ("Webhooks__Providers__stripe__Scheme", "stripe"), ("Webhooks__Providers__stripe__Secrets__0", ReceiverFactory.StripeSecret)));
        try
        {
            var poison = new[] { TestEvents.NewEventId(), TestEvents.NewEventId() };
            foreach (var id in poison)
            {
                var body = "{\"id\":\"" + id + "\",\"type\":\"payment_intent.succeeded\",\"data\":{\"object\":\"not an object\"}}";
                using var response = await receiver.Http.SendAsync(TestEvents.Stripe(body));
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            }

            using (var unsigned = await receiver.Http.SendAsync(TestEvents.Stripe("{\"id\":\"evt_x\"}", "whsec_wrong"))) { }
            Assert.That(await CliQueues.WaitForCountAsync(queue + "_error", 2, TimeSpan.FromSeconds(60)), Is.EqualTo(2u));
            Assert.That(await slack.WaitForPostAsync(p => poison.All(p.Names), TimeSpan.FromSeconds(60)), Is.Not.Null, "both were alerted");

            var processorLines = processor.Lines.ToList();
            var allLines = processorLines.Concat(receiver.Lines).Where(l => l.Length > 0).ToList();
            Assert.That(allLines.Where(l => !IsoLine().IsMatch(l)), Is.Empty, "every line starts with its UTC time");
            var deadLetterLines = processorLines.Where(l => l.Contains("PermanentEventException", StringComparison.Ordinal)).ToList();
            Assert.That(deadLetterLines, Has.Count.EqualTo(2), string.Join('\n', processorLines));
            Assert.That(deadLetterLines, Has.All.Contains("must carry a JSON object in data.object"), "the exception's message");
            Assert.That(allLines.Where(l => StackFrame().IsMatch(l)), Is.Empty, "stack traces only at Debug");
            Assert.That(receiver.Lines.Any(l => l.Contains("401", StringComparison.Ordinal) && IsoLine().IsMatch(l)), Is.True, "the receiver's own lines too");
        }
        finally
        {
            await CliQueues.DeleteAsync(
                [queue, queue + "_error", queue + "-dead-letter-alerts"],
                [exchange, exchange + "--fault", queue, queue + "_error", queue + "-dead-letter-alerts"]);
        }
    }

    [Test]
    public async Task JsonFormatterSetting_MakesEveryLineAJsonObjectWithAUtcTimestamp()
    {
        await using var schema = await CliSchema.CreateMigratedAsync();
        var exchange = TestEnvironment.UniqueName("log-events");
        var queue = TestEnvironment.UniqueName("log-processor");
        var settings = With(Settings(schema, exchange, queue), ("Logging__Console__FormatterName", "json"));
        await using var processor = await ServiceProcess.StartAsync("Webhooks.Processor", settings);
        try
        {
            var started = await processor.WaitForLinesAsync(l => l.Contains("Application started", StringComparison.Ordinal), 1, TimeSpan.FromSeconds(30));
            Assert.That(started, Is.True);

            var lines = processor.Lines.Where(l => l.Length > 0).ToList();
            Assert.That(lines, Has.Count.GreaterThan(3));
            foreach (var line in lines)
            {
                using var entry = JsonDocument.Parse(line);
                Assert.That(entry.RootElement.GetProperty("Timestamp").GetString(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"), line);
                Assert.That(entry.RootElement.GetProperty("Category").GetString(), Is.Not.Empty);
            }
        }
        finally
        {
            await CliQueues.DeleteAsync([queue, queue + "-dead-letter-alerts"], [exchange, exchange + "--fault", queue, queue + "-dead-letter-alerts"]);
        }
    }

    [Test]
    public async Task MassTransitUsageTelemetry_IsOff_ForTheProcessorsBus()
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        await using var processor = new ProcessorFactory(schema.ConnectionString).Start();

        // The tracker MassTransit consults before reporting; enabled, it would post to masstransit.io five minutes after start.
        var tracker = processor.Get<IUsageTracker>();

        Assert.That(tracker, Is.InstanceOf<UsageTracker>());
        Assert.That(((UsageTracker)tracker).Enabled, Is.False);
    }

    private static Dictionary<string, string> Settings(CliSchema schema, string exchange, string queue) => new()
    {
        ["ConnectionStrings__Postgres"] = schema.ConnectionString,
        ["ConnectionStrings__RabbitMq"] = TestEnvironment.RabbitMq,
        ["Broker__EventExchange"] = exchange,
        ["Processor__QueueName"] = queue,
        ["DeadLetterAlerts__DispatchInterval"] = "00:00:00.500",
    };

    private static Dictionary<string, string> With(Dictionary<string, string> settings, params (string Name, string Value)[] more)
    {
        var all = new Dictionary<string, string>(settings);
        foreach (var (name, value) in more)
        {
            all[name] = value;
        }

        return all;
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ")]
    private static partial Regex IsoLine();

    [GeneratedRegex(@"\bat [A-Za-z_.`<>]+\(.*\) in |\s{3}at [A-Z][A-Za-z]+\.")]
    private static partial Regex StackFrame();
}
