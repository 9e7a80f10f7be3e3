using Dapper;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Webhooks.Processor.Reconciliation;
using Webhooks.Processor.StuckOrders;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Reconciliation;

/// <summary>
/// The incident this service exists for, healed: the gateway never delivered an order's success events.
/// A receiver (its outbox relay), a processor on the same schema and exchange, and a local stand-in for
/// Stripe's API; the processor's clock is fake so that the stuck-order scan runs when the test says.
/// </summary>
public class ReconciliationHealTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 15, 9, 0, 0, TimeSpan.Zero);

    [Test]
    public async Task MissedSuccessEvents_AreStoredAndAppliedOnce_WhateverTheNumberOfPasses_AndTheAllClearSaysWhichEventAndWhen()
    {
        await using var stripe = await StripeStandIn.StartAsync();
        await using var slack = await SlackListener.StartAsync();
        var clock = new FakeTimeProvider(Start);
        await using var receiver = new ReceiverFactory();
        _ = receiver.Services;
        var connectionString = TestSchema.ConnectionString(TestEnvironment.Postgres, receiver.Schema);
        await using var processor = new ProcessorFactory(
            connectionString,
            new Dictionary<string, string?>
            {
                ["Slack:WebhookUrl"] = slack.Url,
                ["StuckOrders:ScanInterval"] = "1.00:00:00",
                ["Reconciliation:Interval"] = "1.00:00:00",
                ["Reconciliation:Stripe:ApiKey"] = StripeStandIn.Key,
                ["Reconciliation:Stripe:ApiBase"] = stripe.Url,
            },
            clock: clock,
            exchange: receiver.Exchange).Start();
        var db = new OrderQueries(connectionString);
        var payment = TestPayment.New();
        var created = await StoredEvents.StoreAsync(connectionString, payment.Intent("payment_intent.created", receivedAt: clock.GetUtcNow()));
        await processor.PublishAsync(created);
        Assert.That(await db.WaitForOutcomeAsync(created.EventId), Is.EqualTo("applied"));
        stripe.SetPaymentIntentStatus(payment.PaymentIntentId, "succeeded");
        clock.Advance(TimeSpan.FromMinutes(16));

        await processor.Get<StuckOrderScanner>().ScanOnceAsync(CancellationToken.None);

        var alert = slack.Accepted.Single(p => p.Names(payment.OrderId));
        Assert.That(alert.Content, Does.Contain($"paid, not delivered: the gateway says payment intent {payment.PaymentIntentId} is succeeded"));
        Assert.That(alert.Content, Does.Contain("`./webhooks reconcile --since 2h`"));

        // The gateway lists what it did not deliver; passes by the processor (and the one the scan woke) store each once.
        var succeeded = payment.Intent("payment_intent.succeeded", made: clock.GetUtcNow().AddMinutes(-10));
        var charge = payment.Charge("charge.succeeded", made: clock.GetUtcNow().AddMinutes(-10));
        stripe.AddUndelivered(succeeded.Payload);
        stripe.AddUndelivered(charge.Payload);
        var job = processor.Get<ReconciliationJob>();
        for (var pass = 0; pass < 3; pass++)
        {
            await job.PassAsync(CancellationToken.None);
        }

        // A relay whose last round failed (a confirm timed out on a loaded machine) waits up to Outbox__MaxRetryDelay (30 s) before
        // its next round: allow for one such wait and the processor's batch after it.
        Assert.That(await Eventually.TrueAsync(async () => await db.StatusAsync(payment.OrderId) == "paid", TimeSpan.FromSeconds(75)), Is.True,
            "the relay published the recovered events and the processor applied them");
        Assert.That(await db.WaitForOutcomeAsync(charge.EventId), Is.Not.Null);
        var last = await job.PassAsync(CancellationToken.None) ?? await job.PassAsync(CancellationToken.None);
        Assert.That(last, Is.Not.Null);
        Assert.That((last!.Listed, last.AlreadyStored, last.Ingested), Is.EqualTo((2, 2, 0)), "a later pass finds both stored");

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            var rows = (await connection.QueryAsync<(string EventId, string? Source, string? By, long Processed)>(
                """
                SELECT e.event_id, e.headers ->> 'x-webhooks-source', e.headers ->> 'x-webhooks-reconciled-by',
                       (SELECT count(*) FROM processed_events p WHERE p.provider = e.provider AND p.event_id = e.event_id)
                FROM webhook_events e WHERE e.event_id = ANY(@ids) ORDER BY e.event_id
                """,
                new { ids = new[] { succeeded.EventId, charge.EventId } })).ToList();
            Assert.That(rows.Select(r => r.EventId), Is.EquivalentTo(new[] { succeeded.EventId, charge.EventId }), "each stored once");
            Assert.That(rows.All(r => r.Source == "reconciliation" && r.By == "processor" && r.Processed == 1), Is.True, string.Join("; ", rows));
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That((await processor.Get<StuckOrderScanner>().ScanOnceAsync(CancellationToken.None)).Cleared, Is.EqualTo(1));
        var allClear = slack.Accepted[^1];
        Assert.That(allClear.Content, Does.Contain($"{payment.OrderId}` is now paid: recovered from the gateway, stripe/"));
        Assert.That(allClear.Content, Does.Contain("stored by reconciliation at 2030-01-15 09:16"));
        var recovered = slack.Accepted.Where(p => p.Text.Contains("Recovered from the gateway", StringComparison.Ordinal)).ToList();
        Assert.That(recovered, Has.Count.EqualTo(1), "told once, whatever the number of passes");
        Assert.That(recovered[0].Names(succeeded.EventId) && recovered[0].Names(charge.EventId), Is.True);
        Assert.That(recovered[0].Content, Does.Contain($"order `{payment.OrderId}`"));
    }
}
