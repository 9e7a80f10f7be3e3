using Dapper;
using Npgsql;
using Webhooks.Tests.Cli.Support;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Cli;

/// <summary>
/// <c>simulate</c> signs as each of the receiver's schemes expects, taking scheme, secret, header and
/// idempotency key from the provider's settings (the same settings the receiver reads).
/// </summary>
public class SimulateSchemeTests
{
    private static readonly Dictionary<string, string?> ProviderSettings = new()
    {
        ["Webhooks:Providers:stripe:Scheme"] = "stripe",
        ["Webhooks:Providers:stripe:Secrets:0"] = ReceiverFactory.StripeSecret,
        ["Webhooks:Providers:standard:Scheme"] = "standard",
        ["Webhooks:Providers:standard:Secrets:0"] = ReceiverFactory.StandardSecret,
        ["Webhooks:Providers:github:Scheme"] = "hmac",
        ["Webhooks:Providers:github:Secrets:0"] = ReceiverFactory.HmacSecret,
        ["Webhooks:Providers:github:SignatureHeader"] = "X-Hub-Signature-256",
        ["Webhooks:Providers:github:SignaturePrefix"] = "sha256=",
        ["Webhooks:Providers:github:IdHeader"] = "X-GitHub-Delivery",
        ["Webhooks:Providers:shop:Scheme"] = "hmac",
        ["Webhooks:Providers:shop:Secrets:0"] = ReceiverFactory.HmacSecret,
        ["Webhooks:Providers:shop:SignatureHeader"] = "X-Signature",
        ["Webhooks:Providers:shop:Encoding"] = "base64",
        ["Webhooks:Providers:shop:IdField"] = "data.id",
    };

    private ReceiverFactory _receiver = null!;

    [OneTimeSetUp]
    public void StartReceiver() => _receiver = new ReceiverFactory();

    [OneTimeTearDown]
    public async Task StopReceiver() => await _receiver.DisposeAsync();

    [TestCase("stripe", "stripe")]
    [TestCase("standard", "standard")]
    [TestCase("github", "hmac")]
    [TestCase("shop", "hmac")]
    public async Task ProviderFromSettings_EveryEventAccepted_StoredUnderItsEventId(string provider, string scheme)
    {
        var settings = CliSettings.ForSchema(_receiver.Schema) with { Extra = ProviderSettings };

        var result = await CliRunner.RunWithHttpAsync(settings, _receiver.Server.CreateHandler(),
            "simulate", "--provider", provider, "--orders", "3", "--duplicates", "1", "--rate", "0", "--max-retries", "0", "--json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var summary = result.Json();
        Assert.That(summary.GetProperty("scheme").GetString(), Is.EqualTo(scheme));
        Assert.That(summary.GetProperty("url").GetString(), Is.EqualTo($"http://127.0.0.1:5080/webhooks/{provider}"));
        Assert.That(summary.Count("accepted"), Is.EqualTo(summary.Count("events")).And.GreaterThan(0));
        Assert.That(summary.Count("duplicates"), Is.EqualTo(summary.Count("events")), "each event sent twice, the copy recognised by its key");
        var orderIds = summary.ExpectedStatuses().Keys.ToList();
        var stored = await StoredEventIdsAsync(provider, orderIds);
        Assert.That(stored, Has.Count.EqualTo(summary.Count("events")));
        Assert.That(stored, Has.All.StartWith("evt_"), "the idempotency key is the event's id, wherever the scheme carries it");
    }

    private async Task<List<string>> StoredEventIdsAsync(string provider, IEnumerable<string> orderIds)
    {
        await using var connection = new NpgsqlConnection(TestSchema.ConnectionString(TestEnvironment.Postgres, _receiver.Schema));
        var ids = await connection.QueryAsync<string>(
            """
            WITH stored AS (
                SELECT event_id, convert_from(body, 'UTF8')::jsonb #> '{data,object}' AS o FROM webhook_events WHERE provider = @provider
            )
            -- A charge names no order, only its payment intent (as real Stripe traffic).
            SELECT event_id FROM stored
            WHERE o #>> '{metadata,order_id}' = ANY(@orderIds)
               OR o ->> 'payment_intent' IN (SELECT o ->> 'id' FROM stored
                                            WHERE o ->> 'object' = 'payment_intent' AND o #>> '{metadata,order_id}' = ANY(@orderIds))
            """,
            new { provider, orderIds = orderIds.ToArray() });
        return ids.AsList();
    }
}
