using Dapper;
using Npgsql;
using Webhooks.Infrastructure.Batching;
using Webhooks.Processor.Messaging;
using Webhooks.Processor.Orders;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Processor;

/// <summary>
/// The group-commit applier against the real PostgreSQL: events of concurrent callers share commits,
/// yet each caller hears its own event's outcome, as with one transaction per event.
/// </summary>
public class GroupCommitOrderApplierTests
{
    private static readonly Dictionary<OrderStatus, string> TypeFor = new()
    {
        [OrderStatus.Pending] = "payment_intent.created",
        [OrderStatus.PaymentFailed] = "payment_intent.payment_failed",
        [OrderStatus.Canceled] = "payment_intent.canceled",
        [OrderStatus.Paid] = "payment_intent.succeeded",
        [OrderStatus.PartiallyRefunded] = "charge.refunded",
        [OrderStatus.Refunded] = "charge.refunded",
    };

    private ProcessorSchema _schema = null!;
    private OrderQueries _db = null!;

    [SetUp]
    public async Task CreateSchema()
    {
        _schema = await ProcessorSchema.CreateAsync();
        _db = new OrderQueries(_schema.ConnectionString);
    }

    [TearDown]
    public async Task DropSchema() => await _schema.DisposeAsync();

    [TestCase(64)]
    [TestCase(5)]
    public async Task ManyConcurrentCalls_ShuffledAcrossOrders_EndInTheHighestStatus_OneRecordPerEvent_FewerCommitsThanEvents(int batchSize)
    {
        await using var harness = await ApplierHarness.CreateAsync(_schema, batchSize: batchSize);
        await harness.StartAsync();
        var seed = Environment.TickCount;
        TestContext.Out.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var orders = Enumerable.Range(0, 200).Select(_ => TestPayments.NewOrderId()).ToList();
        var events = orders
            .SelectMany((orderId, i) => Enumerable.Range(0, i < 100 ? 3 : 2).Select(_ => Event(orderId, (OrderStatus)random.Next(TypeFor.Count))))
            .OrderBy(_ => random.Next())
            .ToList();

        var calls = events.Select(e => Task.Run(() => harness.Applier.ApplyAsync(e, CancellationToken.None))).ToList();
        var results = await Task.WhenAll(calls);

        Assert.That(events, Has.Count.EqualTo(500));
        var resultOf = events.Zip(results).ToDictionary(p => p.First.EventId, p => p.Second);
        var recorded = await RecordedOutcomesAsync();
        Assert.Multiple(() =>
        {
            Assert.That(results.Select(r => r.Outcome), Is.All.AnyOf(EventOutcome.Applied, EventOutcome.Unchanged));
            Assert.That(recorded, Has.Count.EqualTo(events.Count), "one processed_events row per event");
            Assert.That(
                recorded.Where(r => r.Value != (resultOf[r.Key].Outcome == EventOutcome.Applied ? "applied" : "unchanged")),
                Is.Empty,
                "each caller heard what was recorded");
        });
        foreach (var group in events.GroupBy(e => e.OrderId!))
        {
            var highest = group.Max(e => e.TargetStatus!.Value);
            var order = await _db.OrderAsync(group.Key);
            var appliedAtHighest = group.Where(e => e.TargetStatus == highest && resultOf[e.EventId].Outcome == EventOutcome.Applied).ToList();
            Assert.That(order?.Status, Is.EqualTo(highest.ToDatabaseValue()), group.Key);
            Assert.That(appliedAtHighest, Has.Count.EqualTo(1), $"{group.Key}: exactly one event moved it to {highest}");
            Assert.That(order!.LastEventId, Is.EqualTo(appliedAtHighest[0].EventId), group.Key);
        }

        var batches = harness.Batches;
        TestContext.Out.WriteLine($"{events.Count} events in {batches.Count} batches: {string.Join(' ', batches)}");
        Assert.That(batches.Sum(), Is.EqualTo(events.Count));
        Assert.That(batches.Max(), Is.LessThanOrEqualTo(batchSize));
        Assert.That(batches, Has.Count.LessThan(events.Count), "commits were shared");
        // One clock reading per batch: the database itself shows how many commits there were.
        Assert.That(await ScalarAsync("SELECT count(DISTINCT processed_at) FROM processed_events"), Is.EqualTo(batches.Count));
    }

    [Test]
    public async Task EventsQueuedBeforeTheLoopStarts_AreCommittedInBatchesOfTheConfiguredSize()
    {
        await using var harness = await ApplierHarness.CreateAsync(_schema, batchSize: 64);
        var calls = Enumerable.Range(0, 200)
            .Select(_ => harness.Applier.ApplyAsync(Event(TestPayments.NewOrderId(), OrderStatus.Paid), CancellationToken.None))
            .ToList();

        await harness.StartAsync();
        var results = await Task.WhenAll(calls);

        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(EventOutcome.Applied));
        Assert.That(harness.Batches, Is.EqualTo(new[] { 64, 64, 64, 8 }));
        Assert.That(await ScalarAsync("SELECT count(DISTINCT processed_at) FROM processed_events"), Is.EqualTo(4), "four commits");
        Assert.That(await ScalarAsync("SELECT count(*) FROM orders WHERE status = 'paid'"), Is.EqualTo(200));
    }

    [Test]
    public async Task PoisonEventInABatch_FaultsOnlyItsOwnCaller_AndUndoesOnlyItsOwnWork_TheOthersCommit()
    {
        await using var harness = await ApplierHarness.CreateAsync(_schema);
        // A failure after the poison event has already moved its order up: only a savepoint undoes that.
        await EventRejection.CreateAsync(_schema.ConnectionString, "evt_poison_", PostgresErrorCodes.CheckViolation, atCommit: false);
        var shared = TestPayments.NewOrderId();
        var created = Event(shared, OrderStatus.Pending);
        var poison = Event(shared, OrderStatus.Refunded, eventId: "evt_poison_" + Guid.NewGuid().ToString("N"));
        var paid = Event(shared, OrderStatus.Paid);
        var others = Enumerable.Range(0, 10).Select(_ => Event(TestPayments.NewOrderId(), OrderStatus.Canceled)).ToList();
        var goodCalls = new[] { created }.Concat(others.Take(5)).Select(e => harness.Applier.ApplyAsync(e, CancellationToken.None)).ToList();
        var poisonCall = harness.Applier.ApplyAsync(poison, CancellationToken.None);
        goodCalls.AddRange(new[] { paid }.Concat(others.Skip(5)).Select(e => harness.Applier.ApplyAsync(e, CancellationToken.None)));

        await harness.StartAsync();
        var failure = Assert.ThrowsAsync<PostgresException>(async () => await poisonCall);
        var results = await Task.WhenAll(goodCalls);
        var sharedOrder = await _db.OrderAsync(shared);
        var poisonOutcome = await _db.OutcomeAsync(poison.EventId);
        var goodRecorded = await _db.ProcessedCountAsync(others.Select(e => e.EventId).Append(created.EventId).Append(paid.EventId));

        Assert.Multiple(() =>
        {
            Assert.That(harness.Batches, Is.EqualTo(new[] { 13 }), "all in one batch");
            Assert.That(failure!.SqlState, Is.EqualTo(PostgresErrorCodes.CheckViolation));
            Assert.That(TransientFailure.IsTransient(failure), Is.False, "so the consumer dead-letters it at once");
            Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(EventOutcome.Applied));
            Assert.That(sharedOrder?.Status, Is.EqualTo("paid"), "the poison's refund was rolled back; the later event applied on top");
            Assert.That(sharedOrder?.LastEventId, Is.EqualTo(paid.EventId));
            Assert.That(poisonOutcome, Is.Null);
            Assert.That(goodRecorded, Is.EqualTo(12));
        });
    }

    [Test]
    public async Task SeveralPoisonEventsScatteredInABatch_EachFaultsOnlyItsOwnCaller_EveryOtherEventIsApplied()
    {
        await using var harness = await ApplierHarness.CreateAsync(_schema);
        await EventRejection.CreateAsync(_schema.ConnectionString, "evt_poison_", PostgresErrorCodes.CheckViolation, atCommit: false);
        var events = Enumerable.Range(0, 40)
            .Select(i => Event(TestPayments.NewOrderId(), OrderStatus.Paid, eventId: i is 3 or 21 or 39 ? "evt_poison_" + Guid.NewGuid().ToString("N") : null))
            .ToList();
        var calls = events.Select(e => harness.Applier.ApplyAsync(e, CancellationToken.None)).ToList();

        await harness.StartAsync();
        var outcomes = new List<string>();
        foreach (var call in calls)
        {
            try
            {
                outcomes.Add((await call).Outcome.ToString());
            }
            catch (PostgresException ex)
            {
                outcomes.Add(ex.SqlState);
            }
        }

        Assert.That(harness.Batches, Is.EqualTo(new[] { 40 }), "one batch, split only to find the rejected events");
        Assert.That(outcomes.Select((o, i) => (o, i)).Where(x => x.o != nameof(EventOutcome.Applied)).Select(x => x.i), Is.EqualTo(new[] { 3, 21, 39 }));
        Assert.That(outcomes.Where(o => o != nameof(EventOutcome.Applied)), Is.All.EqualTo(PostgresErrorCodes.CheckViolation));
        Assert.That(await ScalarAsync("SELECT count(*) FROM orders WHERE status = 'paid'"), Is.EqualTo(37));
        Assert.That(await ScalarAsync("SELECT count(*) FROM processed_events"), Is.EqualTo(37));
    }

    [Test]
    public async Task CommitFails_EveryCallerOfTheBatchHearsIt_NoneHearsSuccess_NothingIsKept()
    {
        await using var harness = await ApplierHarness.CreateAsync(_schema);
        // Checked at COMMIT, after every event of the batch went through: the commit itself fails.
        await EventRejection.CreateAsync(_schema.ConnectionString, "evt_commit_fails_", PostgresErrorCodes.SerializationFailure, atCommit: true);
        var events = Enumerable.Range(0, 9).Select(_ => Event(TestPayments.NewOrderId(), OrderStatus.Paid))
            .Append(Event(TestPayments.NewOrderId(), OrderStatus.Paid, eventId: "evt_commit_fails_" + Guid.NewGuid().ToString("N")))
            .ToList();
        var calls = events.Select(e => harness.Applier.ApplyAsync(e, CancellationToken.None)).ToList();

        await harness.StartAsync();
        var failures = await FailuresAsync(calls);

        Assert.That(harness.Batches, Is.EqualTo(new[] { events.Count }));
        Assert.That(failures, Has.Count.EqualTo(events.Count), "no caller heard success from a commit that failed");
        Assert.That(failures.Where(f => !TransientFailure.IsTransient(f)), Is.Empty, "40001: retried, and idempotent through processed_events");
        Assert.That(await ScalarAsync("SELECT count(*) FROM processed_events") + await ScalarAsync("SELECT count(*) FROM orders"), Is.Zero);

        await EventRejection.DropAsync(_schema.ConnectionString);
        var results = await Task.WhenAll(events.Select(e => harness.Applier.ApplyAsync(e, CancellationToken.None)));
        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(EventOutcome.Applied));
    }

    [Test]
    public async Task DuplicatesInOneBatch_AreRecordedOnce_TheOtherCopiesAreDuplicates()
    {
        await using var harness = await ApplierHarness.CreateAsync(_schema);
        var earlier = Event(TestPayments.NewOrderId(), OrderStatus.Paid);
        await harness.StartAsync();
        Assert.That((await harness.Applier.ApplyAsync(earlier, CancellationToken.None)).Outcome, Is.EqualTo(EventOutcome.Applied));
        await harness.Applier.StopAsync(CancellationToken.None);

        var orderId = TestPayments.NewOrderId();
        var twice = Event(orderId, OrderStatus.Pending);
        var later = Event(orderId, OrderStatus.Paid);
        var unrelated = Event(null, null);
        var again = await ApplierHarness.CreateAsync(_schema);
        await using (again)
        {
            var calls = new[] { twice, earlier, twice with { ReceivedAt = twice.ReceivedAt.AddSeconds(1) }, unrelated, later, unrelated, twice }
                .Select(e => again.Applier.ApplyAsync(e, CancellationToken.None)).ToList();
            await again.StartAsync();
            var outcomes = (await Task.WhenAll(calls)).Select(r => r.Outcome);

            Assert.That(outcomes, Is.EqualTo(new[]
            {
                EventOutcome.Applied, EventOutcome.Duplicate, EventOutcome.Duplicate, EventOutcome.Ignored,
                EventOutcome.Applied, EventOutcome.Duplicate, EventOutcome.Duplicate,
            }));
            Assert.That(again.Batches, Is.EqualTo(new[] { 7 }));
        }

        Assert.That(await ScalarAsync("SELECT count(*) FROM processed_events"), Is.EqualTo(4));
        Assert.That(await _db.OutcomeAsync(twice.EventId), Is.EqualTo("applied"));
        Assert.That(await _db.StatusAsync(orderId), Is.EqualTo("paid"));
    }

    [Test]
    public async Task TwoProcessorsApplyingTheSameOrdersInOppositeArrivalOrder_DoNotDeadlock()
    {
        await using var first = await ApplierHarness.CreateAsync(_schema);
        await using var second = await ApplierHarness.CreateAsync(_schema);
        var orders = Enumerable.Range(0, 60).Select(_ => TestPayments.NewOrderId()).ToList();
        await first.StartAsync();
        await Task.WhenAll(orders.Select(o => first.Applier.ApplyAsync(Event(o, OrderStatus.Pending), CancellationToken.None)));
        await first.Applier.StopAsync(CancellationToken.None);

        await using var third = await ApplierHarness.CreateAsync(_schema);
        var paid = orders.Select(o => third.Applier.ApplyAsync(Event(o, OrderStatus.Paid), CancellationToken.None)).ToList();
        var canceled = Enumerable.Reverse(orders).Select(o => second.Applier.ApplyAsync(Event(o, OrderStatus.Canceled), CancellationToken.None)).ToList();
        await Task.WhenAll(third.StartAsync(), second.StartAsync());

        var failures = await FailuresAsync(paid.Concat(canceled));
        Assert.That(failures.Select(f => f.Message), Is.Empty, "each batch locks the orders in the same order, so neither waits for the other in a cycle");
        Assert.That(await ScalarAsync("SELECT count(*) FROM orders WHERE status = 'paid'"), Is.EqualTo(orders.Count));
    }

    [Test]
    public async Task CallerCancelledWhileQueued_IsNotApplied_TheRestOfTheBatchIs()
    {
        await using var harness = await ApplierHarness.CreateAsync(_schema);
        using var cancel = new CancellationTokenSource();
        var withdrawn = Event(TestPayments.NewOrderId(), OrderStatus.Paid);
        var kept = Event(TestPayments.NewOrderId(), OrderStatus.Paid);
        var withdrawnCall = harness.Applier.ApplyAsync(withdrawn, cancel.Token);
        var keptCall = harness.Applier.ApplyAsync(kept, CancellationToken.None);

        await cancel.CancelAsync();
        await harness.StartAsync();

        Assert.That(async () => await withdrawnCall, Throws.InstanceOf<OperationCanceledException>());
        Assert.That((await keptCall).Outcome, Is.EqualTo(EventOutcome.Applied));
        Assert.That(harness.Batches, Is.EqualTo(new[] { 1 }));
        Assert.That(await _db.OutcomeAsync(withdrawn.EventId), Is.Null);
        Assert.That(await _db.OrderAsync(withdrawn.OrderId!), Is.Null);
    }

    [Test]
    public async Task CallerCancelledAfterItsBatchWasTaken_HearsTheCommittedOutcome()
    {
        await using var harness = await ApplierHarness.CreateAsync(_schema);
        var orderId = TestPayments.NewOrderId();
        await harness.StartAsync();
        await harness.Applier.ApplyAsync(Event(orderId, OrderStatus.Pending), CancellationToken.None);
        var blocker = await RowLock.OnOrderAsync(_schema.ConnectionString, orderId);
        using var cancel = new CancellationTokenSource();
        var paid = Event(orderId, OrderStatus.Paid);

        var call = harness.Applier.ApplyAsync(paid, cancel.Token);
        Assert.That(
            await RowLock.WaitForWaiterAsync(_schema.ConnectionString, harness.ApplicationName),
            Is.True,
            "the batch is taken and waits for the order's lock");
        await cancel.CancelAsync();
        await blocker.DisposeAsync();

        Assert.That((await call).Outcome, Is.EqualTo(EventOutcome.Applied));
        Assert.That(await _db.StatusAsync(orderId), Is.EqualTo("paid"));
    }

    [Test]
    public async Task Stopping_AppliesWhatIsQueued_ThenRefusesNewEventsAsTransient()
    {
        await using var harness = await ApplierHarness.CreateAsync(_schema);
        var queued = Enumerable.Range(0, 10).Select(_ => Event(TestPayments.NewOrderId(), OrderStatus.Paid)).ToList();
        var calls = queued.Select(e => harness.Applier.ApplyAsync(e, CancellationToken.None)).ToList();

        await harness.StartAsync();
        await harness.Applier.StopAsync(CancellationToken.None);

        Assert.That((await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(30))).Select(r => r.Outcome), Is.All.EqualTo(EventOutcome.Applied));
        var late = Assert.ThrowsAsync<GroupCommitStoppedException>(
            () => harness.Applier.ApplyAsync(Event(TestPayments.NewOrderId(), OrderStatus.Paid), CancellationToken.None));
        Assert.That(TransientFailure.IsTransient(late!), Is.True, "retried, not dead-lettered, while the host shuts down");
    }

    [Test]
    public async Task StoppedBeforeItStarted_QueuedCallersFailTransiently_InsteadOfWaitingForever()
    {
        await using var harness = await ApplierHarness.CreateAsync(_schema);
        var call = harness.Applier.ApplyAsync(Event(TestPayments.NewOrderId(), OrderStatus.Paid), CancellationToken.None);

        await harness.Applier.StopAsync(CancellationToken.None);

        var failure = Assert.ThrowsAsync<GroupCommitStoppedException>(async () => await call.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.That(TransientFailure.IsTransient(failure!), Is.True);
    }

    [Test]
    public async Task DatabaseRefused_EveryCallerOfTheBatchFailsTransiently_ThenTheRetryApplies()
    {
        await using var proxy = new TcpProxy("127.0.0.1", new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres).Port);
        await using var harness = await ApplierHarness.CreateAsync(_schema, _schema.ConnectionStringVia("127.0.0.1", proxy.Port));
        var events = Enumerable.Range(0, 20).Select(_ => Event(TestPayments.NewOrderId(), OrderStatus.Paid)).ToList();
        proxy.Refuse();
        var calls = events.Select(e => harness.Applier.ApplyAsync(e, CancellationToken.None)).ToList();

        await harness.StartAsync();
        var failures = await FailuresAsync(calls);

        Assert.That(failures, Has.Count.EqualTo(events.Count));
        Assert.That(failures.Where(f => !TransientFailure.IsTransient(f)), Is.Empty, "transient, so MassTransit retries instead of dead-lettering");
        Assert.That(await ScalarAsync("SELECT count(*) FROM processed_events"), Is.Zero);

        proxy.Forward();
        var results = await Task.WhenAll(events.Select(e => harness.Applier.ApplyAsync(e, CancellationToken.None)));
        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(EventOutcome.Applied));
    }

    [Test]
    public async Task ConnectionCutWhileABatchWaits_EveryCallerFailsTransiently_TheBatchIsAllOrNothing_AndTheRetryCompletesIt()
    {
        await using var proxy = new TcpProxy("127.0.0.1", new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres).Port);
        await using var harness = await ApplierHarness.CreateAsync(_schema, _schema.ConnectionStringVia("127.0.0.1", proxy.Port));
        var last = "z_" + TestPayments.NewOrderId();
        await using (var setup = await ApplierHarness.CreateAsync(_schema))
        {
            await setup.StartAsync();
            await setup.Applier.ApplyAsync(Event(last, OrderStatus.Pending), CancellationToken.None);
        }

        var events = Enumerable.Range(0, 20)
            .Select(_ => Event("a_" + TestPayments.NewOrderId(), OrderStatus.Paid))
            .Append(Event(last, OrderStatus.Paid))
            .ToList();
        var blocker = await RowLock.OnOrderAsync(_schema.ConnectionString, last);
        var calls = events.Select(e => harness.Applier.ApplyAsync(e, CancellationToken.None)).ToList();

        await harness.StartAsync();
        Assert.That(await RowLock.WaitForWaiterAsync(_schema.ConnectionString, harness.ApplicationName), Is.True, "the batch waits for the locked 'z' order");
        proxy.Refuse();
        var failures = await FailuresAsync(calls);
        // The batch was sent whole, commit included (one implicit transaction): the server may finish it
        // after the client is gone. Whatever it did, it did for the whole batch, and no caller heard success.
        await blocker.DisposeAsync();
        var recorded = await WaitForSettledCountAsync(harness.ApplicationName, events.Select(e => e.EventId));

        Assert.That(harness.Batches, Is.EqualTo(new[] { events.Count }));
        Assert.That(failures, Has.Count.EqualTo(events.Count), "every caller of the batch hears the failure");
        Assert.That(failures.Where(f => !TransientFailure.IsTransient(f)), Is.Empty, "so each message is retried");
        Assert.That(recorded, Is.EqualTo(0).Or.EqualTo(events.Count), "all or nothing");
        Assert.That(await ScalarAsync("SELECT count(*) FROM orders WHERE order_id LIKE 'a\\_%'"), Is.EqualTo(recorded == 0 ? 0 : 20));

        proxy.Forward();
        var results = await Task.WhenAll(events.Select(e => harness.Applier.ApplyAsync(e, CancellationToken.None)));
        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(recorded == 0 ? EventOutcome.Applied : EventOutcome.Duplicate));
        Assert.That(await _db.ProcessedCountAsync(events.Select(e => e.EventId)), Is.EqualTo(events.Count));
        Assert.That(await _db.StatusAsync(last), Is.EqualTo("paid"));
    }

    /// <summary>The number of these events recorded, once the harness's own sessions have finished whatever the server was still running for them.</summary>
    private async Task<long> WaitForSettledCountAsync(string applicationName, IEnumerable<string> eventIds)
    {
        await using var connection = new NpgsqlConnection(_schema.ConnectionString);
        await Eventually.TrueAsync(
            async () => await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = @applicationName AND state = 'active'", new { applicationName }) == 0,
            TimeSpan.FromSeconds(10));
        return await _db.ProcessedCountAsync(eventIds);
    }

    private static OrderEvent Event(string? orderId, OrderStatus? status, string? eventId = null) =>
        new(
            "stripe",
            eventId ?? TestEvents.NewEventId(),
            status is { } s ? TypeFor[s] : "invoice.paid",
            TimeProvider.System.GetUtcNow(),
            orderId,
            status,
            orderId is null ? "not about an order (test)" : null);

    private static async Task<List<Exception>> FailuresAsync(IEnumerable<Task<ApplyResult>> calls)
    {
        var failures = new List<Exception>();
        foreach (var call in calls)
        {
            try
            {
                await call.WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                throw;
            }
            catch (Exception ex)
            {
                failures.Add(ex);
            }
        }

        return failures;
    }

    private async Task<Dictionary<string, string>> RecordedOutcomesAsync()
    {
        await using var connection = new NpgsqlConnection(_schema.ConnectionString);
        return (await connection.QueryAsync<(string EventId, string Outcome)>("SELECT event_id, outcome FROM processed_events"))
            .ToDictionary(r => r.EventId, r => r.Outcome);
    }

    private async Task<long> ScalarAsync(string sql, object? parameters = null)
    {
        await using var connection = new NpgsqlConnection(_schema.ConnectionString);
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

}
