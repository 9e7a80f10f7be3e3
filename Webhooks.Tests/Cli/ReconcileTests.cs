using Webhooks.Tests.Cli.Support;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Cli;

/// <summary>
/// <c>reconcile</c> through the real process, against a local stand-in for Stripe's API: what the gateway did
/// not deliver is stored once through the store and outbox, a dry run changes nothing, every pass that
/// stores is audited, and the gateway's failures are one sentence without the key.
/// </summary>
public class ReconcileTests
{
    private static readonly string[] Fields = ["listed", "alreadyStored", "ingested", "events"];
    private static readonly string[] EventFields = ["eventId", "type", "created"];

    private StripeStandIn _stripe = null!;

    [SetUp]
    public async Task StartStripe() => _stripe = await StripeStandIn.StartAsync();

    [TearDown]
    public async Task StopStripe() => await _stripe.DisposeAsync();

    [Test]
    public async Task Reconcile_StoresWhatWasNotDelivered_PagingThroughTheList_OnceWhateverTheNumberOfRuns_AndAuditsIt()
    {
        await using var schema = await CliSchema.CreateMigratedAsync();
        _stripe.PageSize = 2;
        var now = TimeProvider.System.GetUtcNow();
        var events = Enumerable.Range(1, 3).Select(i => TestPayment.New().Intent("payment_intent.succeeded", made: now.AddHours(-i))).ToList();
        var old = TestPayment.New().Intent("payment_intent.succeeded", made: now.AddHours(-30));
        foreach (var e in events.Append(old))
        {
            _stripe.AddUndelivered(e.Payload);
        }

        // The gateway's retry got through after all: stored already, not stored again.
        await StoredEventSeed.InsertAsync(schema, "stripe", events[0].EventId, events[0].EventType, now, events[0].Payload);
        var settings = Settings(schema);

        var first = await CliProcess.RunAsync(settings, "reconcile", "--json");
        var second = await CliProcess.RunAsync(settings, "reconcile", "--json");

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        var report = first.Json();
        Assert.That(report.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(Fields));
        Assert.That((report.GetProperty("listed").GetInt32(), report.GetProperty("alreadyStored").GetInt32(), report.GetProperty("ingested").GetInt32()),
            Is.EqualTo((3, 1, 2)), "24 hours by default: the event of 30 hours ago is not listed");
        var ingested = report.GetProperty("events").EnumerateArray().ToList();
        Assert.That(ingested.Select(e => e.GetProperty("eventId").GetString()), Is.EqualTo(new[] { events[1].EventId, events[2].EventId }), "newest first");
        Assert.That(ingested[0].EnumerateObject().Select(p => p.Name), Is.EquivalentTo(EventFields));
        Assert.That(ingested[0].GetProperty("type").GetString(), Is.EqualTo("payment_intent.succeeded"));
        Assert.That(ingested[0].GetProperty("created").GetDateTimeOffset(), Is.EqualTo(now.AddHours(-2)).Within(TimeSpan.FromSeconds(1)));
        Assert.That(
            _stripe.Requests.Count(r => r.StartsWith("/v1/events", StringComparison.Ordinal) && r.Contains("starting_after=", StringComparison.Ordinal)),
            Is.EqualTo(2),
            "two pages of two per run");

        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.Json().GetProperty("ingested").GetInt32(), Is.Zero);
        Assert.That(second.Json().GetProperty("alreadyStored").GetInt32(), Is.EqualTo(3));
        Assert.That(await schema.ScalarAsync<long>("SELECT count(*) FROM webhook_events"), Is.EqualTo(3), "each stored once");
        Assert.That(await schema.ScalarAsync<long>(
            "SELECT count(*) FROM webhook_events e JOIN event_outbox o ON o.event_row_id = e.id WHERE e.headers ->> 'x-webhooks-source' = 'reconciliation'"),
            Is.EqualTo(2), "through the outbox, marked as reconciled");
        Assert.That(await schema.ScalarAsync<long>("SELECT count(*) FROM webhook_events WHERE order_ref IS NOT NULL AND payment_intent_ref IS NOT NULL"),
            Is.EqualTo(2), "with the references an order's lookup uses");
        var audit = await schema.AuditAsync();
        Assert.That(audit.Select(a => (a.Action, a.Selected, a.Succeeded)), Is.EqualTo(new[] { ("reconcile", 3, 2), ("reconcile", 3, 0) }));
        Assert.That(audit[0].ItemIds, Is.EquivalentTo(new[] { $"stripe/{events[1].EventId}", $"stripe/{events[2].EventId}" }));
    }

    [Test]
    public async Task Reconcile_DryRun_ListsWhatItWouldStore_AndChangesNothing()
    {
        await using var schema = await CliSchema.CreateMigratedAsync();
        var missed = TestPayment.New().Intent("payment_intent.succeeded", made: TimeProvider.System.GetUtcNow().AddHours(-1));
        _stripe.AddUndelivered(missed.Payload);

        var json = await CliProcess.RunAsync(Settings(schema), "reconcile", "--since", "2h", "--dry-run", "--json");
        var table = await CliProcess.RunAsync(Settings(schema), "reconcile", "--dry-run");

        Assert.That(json.ExitCode, Is.Zero, json.ToString());
        Assert.That(json.Json().GetProperty("ingested").GetInt32(), Is.Zero);
        Assert.That(json.Json().GetProperty("events").EnumerateArray().Single().GetProperty("eventId").GetString(), Is.EqualTo(missed.EventId));
        Assert.That(table.ExitCode, Is.Zero, table.ToString());
        Assert.That(table.Stdout, Does.Contain(missed.EventId).And.Contain("1 not stored. Dry run: nothing was changed."));
        Assert.That(await schema.ScalarAsync<long>("SELECT count(*) FROM webhook_events"), Is.Zero);
        Assert.That(await schema.ScalarAsync<long>("SELECT count(*) FROM event_outbox"), Is.Zero);
        Assert.That(await schema.AuditAsync(), Is.Empty);
    }

    [Test]
    public async Task Reconcile_KeyRefused_FailsInOneSentence_WithoutTheKey_AndStoresNothing()
    {
        const string WrongKey = "rk_test_cli_wrong_0123456789abcdefKEY";
        await using var schema = await CliSchema.CreateMigratedAsync();
        _stripe.AddUndelivered(TestPayment.New().Intent("payment_intent.succeeded", made: TimeProvider.System.GetUtcNow()).Payload);
        var settings = Settings(schema) with
        {
            Extra = new Dictionary<string, string?> { ["Reconciliation:Stripe:ApiKey"] = WrongKey, ["Reconciliation:Stripe:ApiBase"] = _stripe.Url },
        };

        var result = await CliProcess.RunAsync(settings, "reconcile");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StderrLines, Has.Length.EqualTo(1), result.ToString());
        Assert.That(result.Stderr, Does.Contain("Stripe refused the API key (401 Unauthorized)").And.Contain("Reconciliation__Stripe__ApiKey"));
        Assert.That(_stripe.RefusedKeys, Does.Contain(WrongKey));
        Assert.That(result.Stdout + result.Stderr, Does.Not.Contain(WrongKey));
        Assert.That(await schema.ScalarAsync<long>("SELECT count(*) FROM webhook_events"), Is.Zero);
    }

    [Test]
    public async Task Reconcile_ServerErrorsAndRateLimit_AreTriedAgain_ThenItGoesThrough()
    {
        await using var schema = await CliSchema.CreateMigratedAsync();
        _stripe.AddUndelivered(TestPayment.New().Intent("payment_intent.succeeded", made: TimeProvider.System.GetUtcNow()).Payload);
        _stripe.FailNext(503);
        _stripe.FailNext(429, retryAfterSeconds: 1);

        var result = await CliProcess.RunAsync(Settings(schema), "reconcile", "--json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Json().GetProperty("ingested").GetInt32(), Is.EqualTo(1));
        Assert.That(_stripe.CountRequests("/v1/events"), Is.EqualTo(3));
    }

    [Test]
    public async Task Reconcile_WithoutAKey_SaysReconciliationIsOff()
    {
        await using var schema = await CliSchema.CreateMigratedAsync();

        var result = await CliProcess.RunAsync(schema.Settings(), "reconcile");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain("Reconciliation is off: set Reconciliation__Stripe__ApiKey"));
    }

    [TestCase("--since", "31d")]
    [TestCase("--since", "banana")]
    [TestCase("--dryrun")]
    [TestCase("--since")]
    public async Task Reconcile_UsageErrors_Exit2_AndDoNothing(params string[] options)
    {
        await using var schema = await CliSchema.CreateMigratedAsync();
        _stripe.AddUndelivered(TestPayment.New().Intent("payment_intent.succeeded", made: TimeProvider.System.GetUtcNow()).Payload);

        var result = await CliRunner.RunAsync(Settings(schema), ["reconcile", .. options]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(_stripe.Requests, Is.Empty, "the gateway was not asked");
        Assert.That(await schema.ScalarAsync<long>("SELECT count(*) FROM webhook_events"), Is.Zero);
    }

    private CliSettings Settings(CliSchema schema) => schema.Settings() with
    {
        Extra = new Dictionary<string, string?> { ["Reconciliation:Stripe:ApiKey"] = StripeStandIn.Key, ["Reconciliation:Stripe:ApiBase"] = _stripe.Url },
    };
}
