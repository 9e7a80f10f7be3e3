using System.Text;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Receiver;

public class RawBodyTests
{
    [Test]
    public async Task PrettyPrintedNonAsciiBody_IsStoredAndPublishedByteForByte()
    {
        await using var factory = new ReceiverFactory();
        await using var queue = await BoundQueue.CreateAsync(factory.Exchange);
        using var client = factory.CreateClient();
        var id = TestEvents.NewEventId();
        // CRLF line breaks, tabs, trailing spaces, escaped and literal non-ASCII: all must survive.
        var text = "{\r\n\t\"id\" : \"" + id + "\",  \r\n"
            + "  \"type\": \"payment_intent.succeeded\",\n"
            + "  \"description\": \"Zoë’s café — ✓ 日本 \\u00e9\",\n"
            + "  \"data\": { \"object\": { \"metadata\": { \"order_id\": \"ø-1\" } } }   \n}\n";
        var bytes = Encoding.UTF8.GetBytes(text);

        using var response = await client.SendAsync(TestEvents.Stripe(bytes));

        await HttpAssertions.ExpectAckAsync(response, "accepted", id);
        var stored = await factory.Store.GetAsync("stripe", id);
        Assert.That(stored!.Body, Is.EqualTo(bytes));
        Assert.That(await queue.WaitForCountAsync(1, TimeSpan.FromSeconds(20)), Is.EqualTo(1u));
        var payload = BoundQueue.PayloadOf((await queue.DrainAsync()).Single().Envelope);
        Assert.That(Encoding.UTF8.GetBytes(payload), Is.EqualTo(bytes));
    }
}
