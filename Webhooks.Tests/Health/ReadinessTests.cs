using System.Net;
using System.Text.Json;
using Npgsql;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Health;

/// <summary>
/// <c>/health/ready</c> of both services, per the contract: 503 whenever a dependency the process
/// needs is down (PostgreSQL for both, RabbitMQ for the processor), with a JSON body naming the
/// check that failed; 200 again once it is back.
/// </summary>
public class ReadinessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Test]
    [NonParallelizable]
    public async Task BrokerStopped_TheProcessorIsNotReady_NamingTheBus_WhileTheReceiverStaysReady()
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        await using var processor = new ProcessorFactory(schema.ConnectionString).Start();
        await using var receiver = new ReceiverFactory();
        using var processorHttp = processor.CreateClient();
        using var receiverHttp = receiver.CreateClient();
        Assert.That((await ReadyAsync(processorHttp)).Status, Is.EqualTo(HttpStatusCode.OK));

        await BrokerControl.StopAsync();
        try
        {
            (HttpStatusCode Status, JsonElement Body) down = default;
            var noticed = await Eventually.TrueAsync(
                async () => (down = await ReadyAsync(processorHttp)).Status == HttpStatusCode.ServiceUnavailable, Patience);

            Assert.That(noticed, Is.True, "the processor cannot consume without its broker: not ready");
            var failed = down.Body.GetProperty("failed").EnumerateArray().Select(e => e.GetString()).ToList();
            Assert.That(failed, Has.Count.EqualTo(1).And.Some.Contains("masstransit"), down.Body.ToString());
            Assert.That(down.Body.GetProperty("checks").GetProperty("postgres").GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            var (receiverStatus, receiverBody) = await ReadyAsync(receiverHttp);
            Assert.That(receiverStatus, Is.EqualTo(HttpStatusCode.OK), "the receiver accepts without the broker (the outbox keeps what it cannot publish)");
            Assert.That(receiverBody.GetProperty("failed").GetArrayLength(), Is.Zero);
        }
        finally
        {
            await BrokerControl.StartAsync();
        }

        Assert.That(await Eventually.TrueAsync(async () => (await ReadyAsync(processorHttp)).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(90)), Is.True);
    }

    [Test]
    public async Task DatabaseRefused_BothServicesAreNotReady_NamingPostgres()
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        await using var proxy = new TcpProxy("127.0.0.1", new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres).Port);
        await using var processor = new ProcessorFactory(schema.ConnectionStringVia("127.0.0.1", proxy.Port)).Start();
        var target = new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres) { Host = "127.0.0.1", Port = proxy.Port };
        await using var receiver = new ReceiverFactory(new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = target.ConnectionString });
        using var processorHttp = processor.CreateClient();
        using var receiverHttp = receiver.CreateClient();
        Assert.That((await ReadyAsync(receiverHttp)).Status, Is.EqualTo(HttpStatusCode.OK));

        proxy.Refuse();
        try
        {
            foreach (var http in new[] { processorHttp, receiverHttp })
            {
                var (status, body) = await ReadyAsync(http);

                Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable), body.ToString());
                Assert.That(body.GetProperty("failed").EnumerateArray().Select(e => e.GetString()), Does.Contain("postgres"));
                var postgres = body.GetProperty("checks").GetProperty("postgres");
                Assert.That(postgres.GetProperty("description").GetString(), Is.EqualTo("PostgreSQL does not answer."));
            }
        }
        finally
        {
            proxy.Forward();
        }

        Assert.That(await Eventually.TrueAsync(async () => (await ReadyAsync(receiverHttp)).Status == HttpStatusCode.OK, Patience), Is.True);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, body.RootElement.Clone());
    }
}
