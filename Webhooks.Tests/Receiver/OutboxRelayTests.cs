using System.Net;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Receiver;

/// <summary>The outbox keeps every accepted event until the broker confirmed a routed publish.</summary>
public class OutboxRelayTests
{
    [Test]
    public async Task PublishedMessage_CarriesTheStoredEvent()
    {
        await using var factory = new ReceiverFactory();
        await using var queue = await BoundQueue.CreateAsync(factory.Exchange);
        using var client = factory.CreateClient();
        var id = TestEvents.NewEventId();
        var body = TestEvents.StripeBody(id, "charge.refunded", "order_42");

        using var response = await client.SendAsync(TestEvents.Stripe(body));
        await HttpAssertions.ExpectAckAsync(response, "accepted", id);

        Assert.That(await queue.WaitForCountAsync(1, TimeSpan.FromSeconds(20)), Is.EqualTo(1u));
        var (messageId, envelope) = (await queue.DrainAsync()).Single();
        var message = envelope.GetProperty("message");
        Assert.Multiple(() =>
        {
            Assert.That(message.GetProperty("provider").GetString(), Is.EqualTo("stripe"));
            Assert.That(message.GetProperty("eventId").GetString(), Is.EqualTo(id));
            Assert.That(message.GetProperty("eventType").GetString(), Is.EqualTo("charge.refunded"));
            Assert.That(message.GetProperty("payload").GetString(), Is.EqualTo(body));
            Assert.That(messageId, Is.Not.Null.And.Not.Empty);
        });
    }

    [Test]
    public async Task NoQueueBound_EventStaysInOutbox_UntilAQueueAppears()
    {
        // Nothing is bound to this receiver's exchange: as before any processor ever started.
        await using var factory = new ReceiverFactory();
        using var client = factory.CreateClient();
        var id = TestEvents.NewEventId();

        using var response = await client.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(id)));
        await HttpAssertions.ExpectAckAsync(response, "accepted", id);

        // The relay has tried (and the broker returned the message) at least once by now.
        Assert.That(
            await Eventually.TrueAsync(
                async () => factory.Logs.Lines.Any(l => l.Contains("no queue is bound", StringComparison.Ordinal)), TimeSpan.FromSeconds(20)),
            Is.True,
            "the relay should have tried and been refused");
        Assert.That(await factory.Store.CountOutboxAsync("stripe", [id]), Is.EqualTo(1), "an unroutable message is not counted as published");

        await using var queue = await BoundQueue.CreateAsync(factory.Exchange);

        Assert.That(await queue.WaitForCountAsync(1, TimeSpan.FromSeconds(60)), Is.EqualTo(1u));
        Assert.That(await factory.Store.CountOutboxAsync("stripe", [id]), Is.Zero);
    }

    [Test]
    [NonParallelizable] // stops the shared broker
    public async Task BrokerStopped_EventsStillAccepted_AllPublishedAfterItReturns()
    {
        await using var factory = new ReceiverFactory();
        await using var queue = await BoundQueue.CreateAsync(factory.Exchange);
        using var client = factory.CreateClient();
        // Let the relay connect first, so the outage interrupts a working publisher.
        await WarmUpAsync(client, queue);

        var ids = Enumerable.Range(0, 20).Select(_ => TestEvents.NewEventId()).ToList();
        await BrokerControl.StopAsync();
        try
        {
            foreach (var id in ids)
            {
                using var response = await client.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(id)));
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a dead broker must never cost an accepted event");
            }

            Assert.That(await factory.Store.CountOutboxAsync("stripe", ids), Is.EqualTo(ids.Count));
        }
        finally
        {
            await BrokerControl.StartAsync();
        }

        Assert.That(
            await Eventually.TrueAsync(async () => await factory.Store.CountOutboxAsync("stripe", ids) == 0, TimeSpan.FromSeconds(90)),
            Is.True,
            "the relay catches up once the broker is back");
        var published = (await queue.DrainAsync()).Select(m => BoundQueue.EventIdOf(m.Envelope)).ToList();
        Assert.That(published, Is.SupersetOf(ids));
    }

    [Test]
    public async Task TwoReceiversSharingOneStore_PublishEveryEventExactlyOnce()
    {
        await using var first = new ReceiverFactory();
        await using var second = new ReceiverFactory(sameStoreAs: first);
        await using var queue = await BoundQueue.CreateAsync(first.Exchange);
        using var firstClient = first.CreateClient();
        using var secondClient = second.CreateClient();
        var ids = Enumerable.Range(0, 300).Select(_ => TestEvents.NewEventId()).ToList();

        // Both relays see every row; SKIP LOCKED must keep them from publishing the same one.
        var sends = ids.Select((id, i) => (id, client: i % 2 == 0 ? firstClient : secondClient));
        await Parallel.ForEachAsync(sends, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (item, token) =>
        {
            using var response = await item.client.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(item.id)), token);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });

        Assert.That(await Eventually.TrueAsync(async () => await first.Store.CountOutboxAsync("stripe", ids) == 0, TimeSpan.FromSeconds(60)), Is.True);
        // Every row left the outbox after its confirm: no publish can follow, so the queue holds all there will be.
        Assert.That(await queue.WaitForCountAsync((uint)ids.Count, TimeSpan.FromSeconds(20)), Is.EqualTo((uint)ids.Count));
        var published = (await queue.DrainAsync()).Select(m => BoundQueue.EventIdOf(m.Envelope)).ToList();
        Assert.That(published, Is.EquivalentTo(ids), "each stored event published once, none twice");
    }

    private static async Task WarmUpAsync(HttpClient client, BoundQueue queue)
    {
        var id = TestEvents.NewEventId();
        using var response = await client.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(id)));
        Assert.That(await queue.WaitForCountAsync(1, TimeSpan.FromSeconds(20)), Is.EqualTo(1u));
        await queue.DrainAsync();
    }
}
