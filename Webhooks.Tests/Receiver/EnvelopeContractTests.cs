using System.Text;
using MassTransit;
using MassTransit.Serialization;
using Webhooks.Contracts;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Receiver;

/// <summary>
/// The receiver writes MassTransit's envelope by hand; the processor reads it with MassTransit. These
/// tests read the bytes the receiver really published with MassTransit's own serializer, so that a
/// field of the contract the envelope does not carry, or carries wrongly, fails here and not in production.
/// </summary>
public class EnvelopeContractTests
{
    [Test]
    public async Task PublishedBytes_ReadByMassTransitsSerializer_AreTheStoredEventWhole()
    {
        await using var factory = new ReceiverFactory();
        await using var queue = await BoundQueue.CreateAsync(factory.Exchange);
        using var client = factory.CreateClient();
        var id = TestEvents.NewEventId();
        // Quotes, a backslash, a line break, non-ASCII and an emoji: everything JSON must escape or keep.
        var body = "{\n  \"id\": \"" + id + "\", \"type\": \"charge.refunded\", \"note\": \"Zoë said \\\"ok\\\" \\\\ 🎉 — 東京\",\n"
            + "  \"data\": {\"object\": {\"metadata\": {\"order_id\": \"order_ü\"}}}\n}";

        using var response = await client.SendAsync(TestEvents.Stripe(body));
        await HttpAssertions.ExpectAckAsync(response, "accepted", id);
        Assert.That(await queue.WaitForCountAsync(1, TimeSpan.FromSeconds(20)), Is.EqualTo(1u));
        var (_, envelope) = (await queue.DrainAsync()).Single();
        var row = await factory.Store.RowAsync("stripe", id);

        var bytes = new BytesMessageBody(Encoding.UTF8.GetBytes(envelope.GetRawText()));
        var context = SystemTextJsonMessageSerializer.Instance.Deserialize(bytes, EmptyHeaders.Instance);

        Assert.That(context.TryGetMessage<PaymentEventReceived>(out var message), Is.True, "MassTransit finds the contract's type in the envelope");
        Assert.That(context.SupportedMessageTypes, Does.Contain(MessageUrn.ForTypeString<PaymentEventReceived>()));
        Assert.That(context.MessageId, Is.EqualTo(row.MessageId), "the stored message id, so a repeated publish is recognisable");
        // Every field of the contract, positionally: a new one added to the record breaks this line until it is checked here.
        var expected = new PaymentEventReceived(row.Id, "stripe", id, "charge.refunded", message!.ReceivedAt, body);
        Assert.That(message, Is.EqualTo(expected));
        Assert.That(message.ReceivedAt, Is.EqualTo(row.ReceivedAt).Within(TimeSpan.FromMilliseconds(1)), "the receipt time the store holds");
    }
}
