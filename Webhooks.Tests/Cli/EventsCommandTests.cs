using System.Text;
using Webhooks.Tests.Cli.Support;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Cli;

/// <summary><c>events list|show|replay</c> on the receiver's store.</summary>
public class EventsCommandTests
{
    private static readonly string[] SummaryFields = ["provider", "eventId", "type", "receivedAt"];

    [Test]
    public async Task List_Json_IsNewestFirst_InTheContractsShape_AndFilters()
    {
        await using var schema = await CliSchema.CreateMigratedAsync();
        var now = TimeProvider.System.GetUtcNow();
        await StoredEventSeed.InsertAsync(schema, "stripe", "evt_old", "charge.succeeded", now.AddHours(-3), "{}");
        await StoredEventSeed.InsertAsync(schema, "stripe", "evt_mid", "charge.refunded", now.AddMinutes(-30), "{}");
        await StoredEventSeed.InsertAsync(schema, "standard", "msg_new", "charge.succeeded", now.AddMinutes(-1), "{}");
        var settings = schema.Settings();

        var all = await CliRunner.RunAsync(settings, "events", "list", "--json");
        var stripeLastHour = await CliRunner.RunAsync(settings, "events", "list", "--provider", "stripe", "--since", "1h", "--json");
        var ofType = await CliRunner.RunAsync(settings, "events", "list", "--type", "charge.succeeded", "--limit", "1", "--json");

        Assert.That(all.ExitCode, Is.Zero, all.ToString());
        Assert.That(all.Stderr, Is.Empty);
        var rows = all.Json().EnumerateArray().ToList();
        Assert.That(rows.Select(r => r.GetProperty("eventId").GetString()), Is.EqualTo(new[] { "msg_new", "evt_mid", "evt_old" }));
        Assert.That(rows[0].EnumerateObject().Select(p => p.Name), Is.EquivalentTo(SummaryFields));
        Assert.That(rows[1].GetProperty("provider").GetString(), Is.EqualTo("stripe"));
        Assert.That(rows[1].GetProperty("type").GetString(), Is.EqualTo("charge.refunded"));
        Assert.That(rows[1].GetProperty("receivedAt").GetDateTimeOffset(), Is.EqualTo(now.AddMinutes(-30)).Within(TimeSpan.FromMilliseconds(1)));
        Assert.That(stripeLastHour.Json().EnumerateArray().Select(r => r.GetProperty("eventId").GetString()), Is.EqualTo(new[] { "evt_mid" }));
        Assert.That(ofType.Json().EnumerateArray().Select(r => r.GetProperty("eventId").GetString()), Is.EqualTo(new[] { "msg_new" }));
    }

    [Test]
    public async Task Show_Json_HasTheRawBodyByteForByte()
    {
        await using var schema = await CliSchema.CreateMigratedAsync();
        // Odd spacing and a non-ASCII character: what was signed must come back unchanged.
        const string body = "{ \"id\":\"evt_raw\",  \"type\":\"charge.succeeded\", \"note\":\"Zürich [x]\" }";
        var messageId = await StoredEventSeed.InsertAsync(
            schema, "stripe", "evt_raw", "charge.succeeded", TimeProvider.System.GetUtcNow(), body, "{\"stripe-signature\":\"t=1,v1=ab\"}");

        var json = await CliRunner.RunAsync(schema.Settings(), "events", "show", "stripe", "evt_raw", "--json");
        var table = await CliRunner.RunAsync(schema.Settings(), "events", "show", "stripe", "evt_raw");

        Assert.That(json.ExitCode, Is.Zero, json.ToString());
        var shown = json.Json();
        Assert.Multiple(() =>
        {
            Assert.That(Encoding.UTF8.GetBytes(shown.GetProperty("body").GetString()!), Is.EqualTo(Encoding.UTF8.GetBytes(body)));
            Assert.That(shown.GetProperty("bodyEncoding").GetString(), Is.EqualTo("utf-8"));
            Assert.That(shown.GetProperty("messageId").GetGuid(), Is.EqualTo(messageId));
            Assert.That(shown.GetProperty("headers").GetProperty("stripe-signature").GetString(), Is.EqualTo("t=1,v1=ab"));
        });
        Assert.That(table.ExitCode, Is.Zero, table.ToString());
        Assert.That(table.Stdout, Does.Contain(body), "the body as stored, brackets and all");
    }

    [Test]
    public async Task Show_UnknownEvent_FailsWithOneSentence()
    {
        await using var schema = await CliSchema.CreateMigratedAsync();

        var result = await CliRunner.RunAsync(schema.Settings(), "events", "show", "stripe", "evt_nowhere", "--json");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(result.StderrLines, Is.EqualTo(new[] { "There is no stored event evt_nowhere from stripe." }));
    }

    [Test]
    public async Task Replay_PublishesTheStoredEventAgain_WithItsMessageId_ThroughTheReceiversRelay()
    {
        await using var receiver = new ReceiverFactory();
        await using var queue = await BoundQueue.CreateAsync(receiver.Exchange);
        using var client = receiver.CreateClient();
        var id = TestEvents.NewEventId();
        using (var response = await client.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(id))))
        {
            await HttpAssertions.ExpectAckAsync(response, "accepted", id);
        }

        Assert.That(await queue.WaitForCountAsync(1, TimeSpan.FromSeconds(20)), Is.EqualTo(1u));
        var (firstId, _) = (await queue.DrainAsync()).Single();
        var settings = CliSettings.ForSchema(receiver.Schema, exchange: receiver.Exchange);

        var dryRun = await CliRunner.RunAsync(settings, "events", "replay", "stripe", id, "--dry-run");
        // A replay goes through the outbox: a dry run that queued nothing there publishes nothing.
        Assert.That(await receiver.Store.CountOutboxAsync("stripe", [id]), Is.Zero, "a dry run publishes nothing");
        Assert.That(await queue.CountAsync(), Is.Zero);
        Assert.That(dryRun.Stdout, Does.Contain("Dry run: 1 event would be published again"));

        var result = await CliRunner.RunAsync(settings, "events", "replay", "stripe", id);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("Replayed 1 event"));
        Assert.That(await queue.WaitForCountAsync(1, TimeSpan.FromSeconds(20)), Is.EqualTo(1u));
        var (againId, envelope) = (await queue.DrainAsync()).Single();
        Assert.That(againId, Is.EqualTo(firstId), "the same message id as the first publish");
        Assert.That(BoundQueue.EventIdOf(envelope), Is.EqualTo(id));
        var schema = CliSchema.Existing(receiver.Schema);
        var audit = (await schema.AuditAsync()).Single();
        Assert.That((audit.Action, audit.Succeeded), Is.EqualTo(("events replay", 1)));
        Assert.That(audit.ItemIds, Is.EqualTo(new[] { $"stripe/{id}" }));
    }

    [Test]
    public async Task ReplayRange_OfMoreThanAThousand_AsksFirst()
    {
        await using var schema = await CliSchema.CreateMigratedAsync();
        await StoredEventSeed.InsertManyAsync(schema, 1001, TimeProvider.System.GetUtcNow());
        var settings = schema.Settings();

        var declined = await CliRunner.RunWithInputAsync(settings, "n\n", "events", "replay", "--since", "2h", "--wait", "0");

        Assert.That(declined.ExitCode, Is.EqualTo(1), declined.ToString());
        Assert.That(declined.Stderr, Does.Contain("Publish 1,001 events").And.Contain("Nothing was replayed"));
        Assert.That(await schema.ScalarAsync<long>("SELECT count(*) FROM event_outbox"), Is.Zero);

        // No receiver runs here: --wait 0 queues them for the relay without waiting for it.
        var confirmed = await CliRunner.RunWithInputAsync(settings, "y\n", "events", "replay", "--since", "2h", "--wait", "0");

        Assert.That(confirmed.ExitCode, Is.Zero, confirmed.ToString());
        Assert.That(await schema.ScalarAsync<long>("SELECT count(*) FROM event_outbox"), Is.EqualTo(1001));
    }

    [Test]
    public async Task Replay_WithNoReceiverRunning_SaysTheEventsWaitInTheOutbox()
    {
        await using var schema = await CliSchema.CreateMigratedAsync();
        await StoredEventSeed.InsertAsync(schema, "stripe", "evt_waiting", "charge.succeeded", TimeProvider.System.GetUtcNow(), "{}");

        var result = await CliRunner.RunAsync(schema.Settings(), "events", "replay", "stripe", "evt_waiting", "--wait", "1s");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StderrLines.Last(), Does.Contain("still wait in the outbox"));
        Assert.That(await schema.ScalarAsync<long>("SELECT count(*) FROM event_outbox"), Is.EqualTo(1), "queued, and published when a receiver runs");
    }
}
