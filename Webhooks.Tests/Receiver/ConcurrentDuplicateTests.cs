using System.Net;
using System.Text.Json;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Receiver;

public class ConcurrentDuplicateTests
{
    [Test]
    public async Task FiftyConcurrentCopiesOfOneEvent_StoreOneRow_PublishOneMessage()
    {
        await using var factory = new ReceiverFactory();
        await using var queue = await BoundQueue.CreateAsync(factory.Exchange);
        using var client = factory.CreateClient();
        var id = TestEvents.NewEventId();
        var body = TestEvents.StripeBody(id);

        using var start = new ManualResetEventSlim();
        var posts = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            using var response = await client.SendAsync(TestEvents.Stripe(body));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString();
        })).ToList();
        start.Set();
        var statuses = await Task.WhenAll(posts);

        Assert.Multiple(() =>
        {
            Assert.That(statuses.Count(s => s == "accepted"), Is.EqualTo(1));
            Assert.That(statuses.Count(s => s == "duplicate"), Is.EqualTo(49));
        });
        Assert.That(await factory.Store.CountEventsAsync("stripe", id), Is.EqualTo(1));

        // A row leaves the outbox only after its publish was confirmed: once it is gone, no publish of it can follow.
        Assert.That(await Eventually.TrueAsync(async () => await factory.Store.CountOutboxAsync("stripe", [id]) == 0, TimeSpan.FromSeconds(20)), Is.True);
        Assert.That(await queue.WaitForCountAsync(1, TimeSpan.FromSeconds(20)), Is.GreaterThanOrEqualTo(1u));
        var messages = await queue.DrainAsync();
        Assert.That(messages.Count(m => BoundQueue.EventIdOf(m.Envelope) == id), Is.EqualTo(1));
    }
}
