using System.Net;
using Npgsql;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Processor;

/// <summary>Settings validated at start, health endpoints, and alerts without Slack.</summary>
public class ProcessorStartupTests
{
    [TestCase("StuckOrders:PendingThreshold", "00:00:00", "StuckOrders__PendingThreshold")]
    [TestCase("StuckOrders:ScanInterval", "2.00:00:00", "StuckOrders__ScanInterval")]
    [TestCase("StuckOrders:EscalationInterval", "soon", "StuckOrders:EscalationInterval")]
    [TestCase("Processor:QueueName", "no spaces allowed", "Processor__QueueName")]
    [TestCase("ConnectionStrings:RabbitMq", "http://localhost/", "ConnectionStrings__RabbitMq")]
    [TestCase("Processor:QueueType", "mirrored", "Processor__QueueType")]
    [TestCase("Processor:ApplyBatchSize", "0", "Processor__ApplyBatchSize")]
    [TestCase("Processor:ApplyBatchSize", "1001", "Processor__ApplyBatchSize")]
    public async Task BadSetting_StopsTheProcessAtStart_NamingIt(string key, string value, string named)
    {
        await using var processor = new ProcessorFactory(TestEnvironment.Postgres, new Dictionary<string, string?> { [key] = value });

        var failure = Assert.Catch(() => processor.Start());

        Assert.That(Messages(failure), Does.Contain(named));
    }

    [TestCase("quorum")]
    [TestCase("classic")]
    public async Task QueueType_IsTheTypeTheBrokerDeclares(string queueType)
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        await using var processor = new ProcessorFactory(
            schema.ConnectionString, new Dictionary<string, string?> { ["Processor:QueueType"] = queueType }).Start();
        var managementUrl = Environment.GetEnvironmentVariable("WEBHOOKS_RABBIT_MGMT_URL") ?? "http://127.0.0.1:15720/";
        using var management = new HttpClient { BaseAddress = new Uri(managementUrl) };
        var address = TestEnvironment.RabbitMqAddress;
        management.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{address.Username}:{address.Password}")));

        var queuePath = $"api/queues/{Uri.EscapeDataString(address.VirtualHost)}/{Uri.EscapeDataString(processor.QueueName)}";
        using var response = await management.GetAsync(new Uri(queuePath, UriKind.Relative));
        var queue = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(queue.GetProperty("type").GetString(), Is.EqualTo(queueType));
        Assert.That(queue.GetProperty("durable").GetBoolean(), Is.True);
    }

    [Test]
    public async Task BadSlackUrl_StopsTheProcess_NamingTheSettingButNotItsValue()
    {
        await using var processor = new ProcessorFactory(
            TestEnvironment.Postgres, new Dictionary<string, string?> { ["Slack:WebhookUrl"] = "ftp://hooks.example/T0/B0/very-secret-part" });

        var failure = Assert.Catch(() => processor.Start());

        Assert.That(Messages(failure), Does.Contain("Slack__WebhookUrl"));
        Assert.That(Messages(failure), Does.Not.Contain("very-secret-part"));
    }

    [Test]
    public async Task Health_ReadyWhilePostgresAndRabbitMqAnswer_NotReadyWithoutPostgres_LiveThroughout()
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        await using var proxy = new TcpProxy("127.0.0.1", new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres).Port);
        await using var processor = new ProcessorFactory(schema.ConnectionStringVia("127.0.0.1", proxy.Port)).Start();
        using var http = processor.CreateClient();

        Assert.That((await http.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await http.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        proxy.Refuse();
        Assert.That((await http.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That((await http.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        proxy.Forward();
        Assert.That(
            await Eventually.TrueAsync(async () => (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20)),
            Is.True);
    }

    [Test]
    public async Task WithoutSlackUrl_WarnsAtStart_AndDeadLetterAlertsGoToTheLog()
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        await using var processor = new ProcessorFactory(schema.ConnectionString).Start();
        Assert.That(
            processor.Logs.Lines.Any(l => l.StartsWith("Warning", StringComparison.Ordinal)
                && l.Contains("Slack__WebhookUrl is not set", StringComparison.Ordinal)),
            Is.True);
        var poison = TestPayments.WithDataObject("charge.refunded", null);

        await processor.PublishAsync(poison);

        var logged = await Eventually.TrueAsync(
            () => Task.FromResult(processor.Logs.Lines.Any(l => l.Contains("ALERT", StringComparison.Ordinal)
                && l.Contains(poison.EventId, StringComparison.Ordinal))),
            TimeSpan.FromSeconds(20));
        Assert.That(logged, Is.True, "the dead-letter alert was written to the log");
    }

    private static string Messages(Exception? exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            messages.Add(e.Message);
            if (e is AggregateException aggregate)
            {
                messages.AddRange(aggregate.InnerExceptions.Select(i => i.Message));
            }
        }

        return string.Join(" | ", messages);
    }
}
