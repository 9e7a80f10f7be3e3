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

    [TestCase(1000, 400, OrderStatus.PartiallyRefunded)]
    [TestCase(1000, 999, OrderStatus.PartiallyRefunded)]
    [TestCase(1000, 1000, OrderStatus.Refunded)]
    [TestCase(1000, 1200, OrderStatus.Refunded)]
    public void Read_ChargeRefunded_IsPartialWhileLessThanTheAmountIsRefunded(long amount, long refunded, OrderStatus expected)
    {
        var read = PaymentEventReader.Read(TestPayments.Event("charge.refunded", "order_1", edit: charge =>
        {
            charge["amount"] = amount;
            charge["amount_refunded"] = refunded;
        }));

        Assert.That(read.TargetStatus, Is.EqualTo(expected));
        Assert.That(read.Amounts?.AmountRefunded, Is.EqualTo(refunded));
        Assert.That(read.Amounts?.Amount, Is.EqualTo(amount));
    }

    [Test]
    public void Read_ChargeWithoutOrderMetadata_NamesItsPaymentIntent_AndLinksNothing()
    {
        var payment = TestPayment.New(amount: 777, currency: "eur");

        var read = PaymentEventReader.Read(payment.Charge("charge.succeeded"));

        Assert.That(read.ConcernsAnOrder, Is.True);
        Assert.That(read.OrderId, Is.Null);
        Assert.That(read.PaymentIntentId, Is.EqualTo(payment.PaymentIntentId));
        Assert.That(read.LinksPaymentIntent, Is.False);
        Assert.That(read.Amounts, Is.EqualTo(new PaymentAmounts(777, "eur", EffectVersion.Of(3, TestPayment.Made), 0)));
    }

    [Test]
    public void Read_PaymentIntentWithItsOrderId_LinksItsOwnId()
    {
        var payment = TestPayment.New(amount: 1099, currency: "usd");

        var read = PaymentEventReader.Read(payment.Intent("payment_intent.created"));

        Assert.That(read.OrderId, Is.EqualTo(payment.OrderId));
        Assert.That(read.PaymentIntentId, Is.EqualTo(payment.PaymentIntentId));
        Assert.That(read.LinksPaymentIntent, Is.True);
        Assert.That(read.TargetStatus, Is.EqualTo(OrderStatus.Pending));
        Assert.That(read.Amounts?.Amount, Is.EqualTo(1099));
    }

    [Test]
    public void Read_TheDisputeFixtureAsItIs_NamesNoOrderAndNoPaymentIntent_SoItIsIgnored()
    {
        var read = PaymentEventReader.Read(TestPayments.Event("charge.dispute.created", orderId: null));

        Assert.That(read.ConcernsAnOrder, Is.False);
        Assert.That(read.IgnoredReason, Does.Contain("payment_intent"));
    }

    [Test]
    public void Read_DisputeOfAPaymentIntent_EveryFieldFromStripesObject()
    {
        var message = TestPayments.Event("charge.dispute.created", orderId: null, edit: dispute => dispute["payment_intent"] = "pi_disputed");

        var read = PaymentEventReader.Read(message);

        Assert.That(read.PaymentIntentId, Is.EqualTo("pi_disputed"));
        Assert.That(read.TargetStatus, Is.Null, "a dispute never changes the order's status");
        Assert.That(read.Dispute, Is.EqualTo(new DisputeChange(
            "du_1MtJUT2eZvKYlo2CNaw2HvEv",
            DisputeStatus.Open,
            "warning_needs_response",
            EffectVersion.Of(0, DateTimeOffset.FromUnixTimeSeconds(1234567890)),
            1000,
            "usd",
            "general",
            DateTimeOffset.FromUnixTimeSeconds(1682294399),
            DateTimeOffset.FromUnixTimeSeconds(1680651737),
            "ch_1AZtxr2eZvKYlo2CJDX8whov",
            null,
            null,
            null)));
    }

    [TestCase("won", DisputeStatus.Won)]
    [TestCase("lost", DisputeStatus.Lost)]
    [TestCase("warning_closed", DisputeStatus.Won)]
    public void Read_DisputeClosed_IsWonOrLostAsTheObjectsStatusSays_AndOutranksEveryOpenState(string status, DisputeStatus expected)
    {
        var payment = TestPayment.New();
        var closed = PaymentEventReader.Read(payment.Dispute("charge.dispute.closed", status, made: TestPayment.Made)).Dispute!;
        var laterOpen = PaymentEventReader.Read(payment.Dispute("charge.dispute.updated", "under_review", made: TestPayment.Made.AddDays(1))).Dispute!;

        Assert.That(closed.Status, Is.EqualTo(expected));
        Assert.That(closed.ClosedAt, Is.EqualTo(TestPayment.Made));
        Assert.That(closed.Version, Is.GreaterThan(laterOpen.Version), "a late update never reopens a closed dispute");
    }

    [TestCase("1000.5")]
    [TestCase("\"1000\"")]
    [TestCase("-5")]
    [TestCase("1e3")]
    public void Read_AnAmountThatIsNotAWholeNonNegativeNumber_IsNoAmount(string amount)
    {
        var message = TestPayments.Event("payment_intent.succeeded", "order_1", edit: intent => intent["amount"] = JsonNode.Parse(amount));

        var read = PaymentEventReader.Read(message);

        Assert.That(read.ConcernsAnOrder, Is.True);
        Assert.That(read.Amounts, Is.Null);
    }

    [TestCase("US")]
    [TestCase("us1")]
    [TestCase("dollars")]
    public void Read_ACurrencyThatIsNotThreeLetters_IsNoCurrency_SoNoAmountIsKept(string currency)
    {
        var read = PaymentEventReader.Read(TestPayments.Event("payment_intent.succeeded", "order_1", edit: intent => intent["currency"] = currency));

        Assert.That(read.Amounts, Is.Null);
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
