using Dapper;
using Npgsql;
using Webhooks.Contracts;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Processor;

/// <summary>The contract's "Orders (processor)" section through the real consumer on real RabbitMQ and PostgreSQL.</summary>
public class OrderStateTests
{
    private ProcessorSchema _schema = null!;
    private ProcessorFactory _processor = null!;
    private OrderQueries _db = null!;

    [OneTimeSetUp]
    public async Task StartProcessor()
    {
        _schema = await ProcessorSchema.CreateAsync();
        _processor = new ProcessorFactory(_schema.ConnectionString).Start();
        _db = new OrderQueries(_schema.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task StopProcessor()
    {
        await _processor.DisposeAsync();
        await _schema.DisposeAsync();
    }

    [TestCase("payment_intent.created", "pending")]
    [TestCase("payment_intent.succeeded", "paid")]
    [TestCase("charge.succeeded", "paid")]
    [TestCase("payment_intent.payment_failed", "payment_failed")]
    [TestCase("payment_intent.canceled", "canceled")]
    [TestCase("charge.refunded", "refunded")]
    public async Task ContractRow_EventForUnknownOrder_CreatesItInTheEventsState(string type, string expected)
    {
        var orderId = TestPayments.NewOrderId();

        var outcome = await DeliverAsync(TestPayments.Event(type, orderId));

        Assert.That(outcome, Is.EqualTo("applied"));
        var order = await _db.OrderAsync(orderId);
        Assert.That(order?.Status, Is.EqualTo(expected));
        Assert.That(order!.PendingSince.HasValue, Is.EqualTo(expected == "pending"), "pending_since is set exactly while pending");
    }

    [Test]
    public async Task CheckoutSessionCompleted_PaymentStatusPaid_OrderFromClientReferenceIdIsPaid()
    {
        var orderId = TestPayments.NewOrderId();
        var message = TestPayments.Event("checkout.session.completed", orderId: null, edit: session =>
        {
            session["client_reference_id"] = orderId;
            session["payment_status"] = "paid";
        });

        Assert.That(await DeliverAsync(message), Is.EqualTo("applied"));
        Assert.That(await _db.StatusAsync(orderId), Is.EqualTo("paid"));
    }

    [Test]
    public async Task CheckoutSessionCompleted_PaymentStatusUnpaid_IsIgnoredAndCreatesNoOrder()
    {
        var orderId = TestPayments.NewOrderId();
        // The fixture's session is "unpaid", as for an asynchronous payment method.
        var message = TestPayments.Event("checkout.session.completed", orderId);

        Assert.That(await DeliverAsync(message), Is.EqualTo("ignored"));
        Assert.That(await _db.OrderAsync(orderId), Is.Null);
    }

    [Test]
    public async Task UnknownEventType_IsRecordedAsIgnored()
    {
        var orderId = TestPayments.NewOrderId();

        Assert.That(await DeliverAsync(TestPayments.Event("plan.created", orderId)), Is.EqualTo("ignored"));
        Assert.That(await _db.OrderAsync(orderId), Is.Null);
    }

    [Test]
    public async Task KnownTypeWithoutOrderId_IsRecordedAsIgnored()
    {
        // The fixture's metadata is empty, as for a payment made outside the shop.
        Assert.That(await DeliverAsync(TestPayments.Event("payment_intent.succeeded", orderId: null)), Is.EqualTo("ignored"));
    }

    [TestCase("payment_intent.created")]
    [TestCase("payment_intent.payment_failed")]
    [TestCase("payment_intent.canceled")]
    public async Task LateEvent_AfterPaid_DoesNotMoveTheOrderBack(string lateType)
    {
        var orderId = TestPayments.NewOrderId();
        await DeliverAsync(TestPayments.Event("payment_intent.succeeded", orderId));
        var paid = await _db.OrderAsync(orderId);

        Assert.That(await DeliverAsync(TestPayments.Event(lateType, orderId)), Is.EqualTo("unchanged"));

        var after = await _db.OrderAsync(orderId);
        Assert.That(after, Is.EqualTo(paid), "status, pending_since, updated_at and last event all stay as they were");
    }

    [Test]
    public async Task Refunded_WinsOverALatePaid()
    {
        var orderId = TestPayments.NewOrderId();
        await DeliverAsync(TestPayments.Event("charge.refunded", orderId));

        Assert.That(await DeliverAsync(TestPayments.Event("charge.succeeded", orderId)), Is.EqualTo("unchanged"));
        Assert.That(await _db.StatusAsync(orderId), Is.EqualTo("refunded"));
    }

    private static IEnumerable<TestCaseData> Lifecycles()
    {
        foreach (var (events, final) in new[]
        {
            (new[] { "payment_intent.created", "payment_intent.succeeded", "charge.refunded" }, "refunded"),
            (new[] { "payment_intent.created", "payment_intent.payment_failed", "payment_intent.succeeded" }, "paid"),
        })
        {
            foreach (var order in Permutations(events))
            {
                yield return new TestCaseData(order, final).SetArgDisplayNames(string.Join(" > ", order), final);
            }
        }
    }

    [TestCaseSource(nameof(Lifecycles))]
    public async Task EveryDeliveryOrder_OfALifecycle_EndsInTheSameState(string[] deliveryOrder, string expected)
    {
        var orderId = TestPayments.NewOrderId();

        // One after the other, each awaited, so that the order of application is exactly this one.
        foreach (var type in deliveryOrder)
        {
            Assert.That(await DeliverAsync(TestPayments.Event(type, orderId)), Is.AnyOf("applied", "unchanged"));
        }

        Assert.That(await _db.StatusAsync(orderId), Is.EqualTo(expected));
    }

    [Test]
    public async Task SameEventDeliveredTwice_SecondChangesNothing()
    {
        var orderId = TestPayments.NewOrderId();
        var message = TestPayments.Event("payment_intent.succeeded", orderId);
        await DeliverAsync(message);
        var first = await _db.OrderAsync(orderId);

        await _processor.PublishAsync(message);

        var seen = await Eventually.TrueAsync(
            () => Task.FromResult(_processor.Logs.Lines.Any(l => l.Contains(message.EventId, StringComparison.Ordinal)
                && l.Contains("Duplicate", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(20));
        Assert.That(seen, Is.True, "the second delivery was consumed and recognised as a duplicate");
        Assert.That(await _db.ProcessedCountAsync([message.EventId]), Is.EqualTo(1));
        Assert.That(await _db.OrderAsync(orderId), Is.EqualTo(first));
    }

    [Test]
    public async Task OrderRowLockedByAnotherTransaction_ConsumerWaitsForIt_ThenApplies()
    {
        var orderId = TestPayments.NewOrderId();
        await DeliverAsync(TestPayments.Event("payment_intent.created", orderId));
        var succeeded = TestPayments.Event("payment_intent.succeeded", orderId);

        await using (var connection = new NpgsqlConnection(_schema.ConnectionString))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var lockRow = new NpgsqlCommand("SELECT status FROM orders WHERE order_id = @id FOR UPDATE", connection, transaction))
            {
                lockRow.Parameters.AddWithValue("id", orderId);
                await lockRow.ExecuteScalarAsync();
            }

            await _processor.PublishAsync(succeeded);
            var blocked = await Eventually.TrueAsync(
                async () => await connection.ExecuteScalarAsync<bool>(
                    "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid)))", transaction: transaction),
                TimeSpan.FromSeconds(20));

            Assert.That(blocked, Is.True, "the processor waits for this transaction's lock");
            Assert.That(await _db.OutcomeAsync(succeeded.EventId), Is.Null, "the event is not recorded while its order is locked");
            Assert.That(await _db.StatusAsync(orderId), Is.EqualTo("pending"));
            await transaction.CommitAsync();
        }

        Assert.That(await _db.WaitForOutcomeAsync(succeeded.EventId), Is.EqualTo("applied"));
        Assert.That(await _db.StatusAsync(orderId), Is.EqualTo("paid"));
    }

    [Test]
    public async Task TwoProcessorsOnOneQueue_EventsForTheSameOrdersAtOnce_EveryOrderEndsRefunded()
    {
        await using var second = new ProcessorFactory(_schema.ConnectionString, exchange: _processor.Exchange, queue: _processor.QueueName).Start();
        var orders = Enumerable.Range(0, 15).Select(_ => TestPayments.NewOrderId()).ToList();
        var messages = orders
            .SelectMany(id => new[] { "payment_intent.created", "payment_intent.succeeded", "charge.refunded" }.Select(type => TestPayments.Event(type, id)))
            .OrderBy(_ => Random.Shared.Next())
            .ToList();

        await Task.WhenAll(messages.Select(m => _processor.PublishAsync(m)));

        var all = await Eventually.TrueAsync(
            async () => await _db.ProcessedCountAsync(messages.Select(m => m.EventId)) == messages.Count, TimeSpan.FromSeconds(30));
        Assert.That(all, Is.True, "every event was processed once");
        foreach (var orderId in orders)
        {
            Assert.That(await _db.StatusAsync(orderId), Is.EqualTo("refunded"), orderId);
        }
    }

    private async Task<string?> DeliverAsync(PaymentEventReceived message)
    {
        await _processor.PublishAsync(message);
        return await _db.WaitForOutcomeAsync(message.EventId);
    }

    private static IEnumerable<string[]> Permutations(string[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations([.. items.Take(i), .. items.Skip(i + 1)]).Select(rest => (string[])[item, .. rest]));
}
