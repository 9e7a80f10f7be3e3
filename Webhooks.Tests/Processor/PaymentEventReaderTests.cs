using System.Text.Json.Nodes;
using Webhooks.Processor.Messaging;
using Webhooks.Processor.Orders;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Processor;

/// <summary>How an event's payload is read for its order, on Stripe's real object shapes.</summary>
public class PaymentEventReaderTests
{
    [Test]
    public void Read_MetadataOrderId_NamesTheOrderAndTheTargetState()
    {
        var read = PaymentEventReader.Read(TestPayments.Event("payment_intent.payment_failed", "order_42"));

        Assert.That(read.OrderId, Is.EqualTo("order_42"));
        Assert.That(read.TargetStatus, Is.EqualTo(OrderStatus.PaymentFailed));
    }

    [Test]
    public void Read_CheckoutSession_MetadataOrderIdWinsOverClientReferenceId()
    {
        var read = PaymentEventReader.Read(TestPayments.Event("checkout.session.completed", "from_metadata", edit: session =>
        {
            session["client_reference_id"] = "from_reference";
            session["payment_status"] = "paid";
        }));

        Assert.That(read.OrderId, Is.EqualTo("from_metadata"));
    }

    [Test]
    public void Read_ClientReferenceIdOnAPaymentIntent_IsNotAnOrderId()
    {
        var read = PaymentEventReader.Read(TestPayments.Event("payment_intent.succeeded", null, edit: intent => intent["client_reference_id"] = "order_1"));

        Assert.That(read.ConcernsAnOrder, Is.False);
        Assert.That(read.IgnoredReason, Does.Contain("metadata.order_id"));
    }

    [TestCase("{\"order_id\":42}")]
    [TestCase("{\"order_id\":\"\"}")]
    [TestCase("\"order_1\"")]
    public void Read_MetadataWithoutAStringOrderId_IsIgnored(string metadata)
    {
        var read = PaymentEventReader.Read(TestPayments.Event("payment_intent.succeeded", null, edit: intent => intent["metadata"] = JsonNode.Parse(metadata)));

        Assert.That(read.ConcernsAnOrder, Is.False);
    }

    [Test]
    public void Read_OrderIdLongerThanTheKeyAllows_IsIgnored()
    {
        var read = PaymentEventReader.Read(TestPayments.Event("charge.succeeded", new string('o', PaymentEventReader.MaxOrderIdLength + 1)));

        Assert.That(read.ConcernsAnOrder, Is.False);
    }

    [Test]
    public void Read_NoTypeOnTheMessage_TakesTheTypeFromThePayload()
    {
        var original = TestPayments.Event("charge.refunded", "order_7");

        var read = PaymentEventReader.Read(original with { EventType = null });

        Assert.That(read.TargetStatus, Is.EqualTo(OrderStatus.Refunded));
    }

    [TestCase("null")]
    [TestCase("[]")]
    [TestCase("\"pi_1\"")]
    public void Read_KnownTypeWhoseDataObjectIsNotAnObject_IsPermanent(string dataObject)
    {
        var message = TestPayments.WithDataObject("payment_intent.succeeded", JsonNode.Parse(dataObject));

        var failure = Assert.Throws<PermanentEventException>(() => PaymentEventReader.Read(message));

        Assert.That(failure!.Message, Does.Contain("data.object"));
        Assert.That(TransientFailure.IsTransient(failure), Is.False);
    }

    [Test]
    public void Read_UnknownTypeWhosePayloadIsNotJson_IsIgnoredWithoutReadingIt()
    {
        var read = PaymentEventReader.Read(TestPayments.Message("evt_1", "customer.created", "not json"));

        Assert.That(read.IgnoredReason, Does.Contain("customer.created"));
    }

    [Test]
    public void TransientFailure_TimeoutsAndConnectionFailures_AreTransient_OthersNot()
    {
        Assert.Multiple(() =>
        {
            Assert.That(TransientFailure.IsTransient(new TimeoutException()), Is.True);
            Assert.That(TransientFailure.IsTransient(new Npgsql.NpgsqlException("connection refused", new System.Net.Sockets.SocketException(111))), Is.True);
            Assert.That(TransientFailure.IsTransient(new InvalidOperationException("a bug")), Is.False);
            Assert.That(TransientFailure.IsTransient(new System.Text.Json.JsonException("bad")), Is.False);
        });
    }
}
