using Webhooks.Infrastructure.Batching;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Batching;

/// <summary>The one group-commit mechanism, on its own: what every user of it (store, applier, fast lane) relies on.</summary>
public class GroupCommitterTests
{
    [Test]
    public async Task ItemsQueuedBeforeTheStart_AreCommittedInBatchesOfMaxBatch_EachCallerHearsItsOwnResult()
    {
        var batches = new List<int>();
        using var committer = new GroupCommitter<int, int>(new GroupCommitOptions(MaxBatch: 4), (entries, _) =>
        {
            batches.Add(entries.Count);
            foreach (var entry in entries)
            {
                entry.Succeed(entry.Item * 10);
            }

            return Task.CompletedTask;
        });
        var calls = Enumerable.Range(1, 10).Select(i => committer.Enqueue(i)).ToList();

        committer.Start();
        var results = await Task.WhenAll(calls);
        await committer.StopAsync(CancellationToken.None);

        Assert.That(results, Is.EqualTo(Enumerable.Range(1, 10).Select(i => i * 10)));
        Assert.That(batches, Is.EqualTo(new[] { 4, 4, 2 }));
    }

    [Test]
    public async Task CommitThrows_EveryEntryItDidNotComplete_HearsTheFailure_TheOthersKeepTheirResult_AndTheLoopGoesOn()
    {
        var round = 0;
        using var committer = new GroupCommitter<int, int>(new GroupCommitOptions(MaxBatch: 3), (entries, _) =>
        {
            if (round++ == 0)
            {
                entries[0].Succeed(1);
                entries[1].Fail(new InvalidDataException("its own"));
                throw new TimeoutException("the commit");
            }

            foreach (var entry in entries)
            {
                entry.Succeed(entry.Item);
            }

            return Task.CompletedTask;
        });
        var first = Enumerable.Range(1, 3).Select(i => committer.Enqueue(i)).ToList();
        committer.Start();

        Assert.That(await first[0], Is.EqualTo(1));
        Assert.ThrowsAsync<InvalidDataException>(() => first[1]);
        Assert.ThrowsAsync<TimeoutException>(() => first[2]);
        Assert.That(await committer.Enqueue(7), Is.EqualTo(7), "the next batch is committed as usual");
        await committer.StopAsync(CancellationToken.None);
    }

    [Test]
    public async Task CancelledWhileQueued_IsWithdrawnAndNeverCommitted_CancelledOnceTaken_HearsTheOutcome()
    {
        var committed = new List<int>();
        var release = new TaskCompletionSource();
        using var committer = new GroupCommitter<int, int>(new GroupCommitOptions(MaxBatch: 1), async (entries, _) =>
        {
            committed.Add(entries[0].Item);
            await release.Task;
            entries[0].Succeed(entries[0].Item);
        });
        using var takenCaller = new CancellationTokenSource();
        using var queuedCaller = new CancellationTokenSource();
        var taken = committer.Enqueue(1, takenCaller.Token);
        var queued = committer.Enqueue(2, queuedCaller.Token);
        committer.Start();
        await Eventually.TrueAsync(() => Task.FromResult(committed.Count == 1), TimeSpan.FromSeconds(5));

        await takenCaller.CancelAsync();
        await queuedCaller.CancelAsync();
        release.SetResult();

        Assert.That(await taken, Is.EqualTo(1), "taken before the cancellation: its outcome stands");
        Assert.That(async () => await queued, Throws.InstanceOf<OperationCanceledException>());
        await committer.StopAsync(CancellationToken.None);
        Assert.That(committed, Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void AtCapacity_RefusesTheNextItem_AsFull()
    {
        using var committer = new GroupCommitter<int, int>(new GroupCommitOptions(MaxBatch: 10, Capacity: 2), (_, _) => Task.CompletedTask);
        _ = committer.Enqueue(1);
        _ = committer.Enqueue(2);

        Assert.Throws<GroupCommitFullException>(() => committer.Enqueue(3));
        Assert.That(committer.TryOffer(3), Is.False);
    }

    [Test]
    public async Task Stop_CommitsWhatIsQueued_ThenRefusesNewItemsAsStopped()
    {
        var gate = new TaskCompletionSource();
        using var committer = new GroupCommitter<int, int>(new GroupCommitOptions(MaxBatch: 1), async (entries, _) =>
        {
            await gate.Task;
            entries[0].Succeed(entries[0].Item);
        });
        committer.Start();
        var queued = Enumerable.Range(1, 3).Select(i => committer.Enqueue(i)).ToList();

        var stopping = committer.StopAsync(CancellationToken.None);
        Assert.Throws<GroupCommitStoppedException>(() => committer.Enqueue(4));
        gate.SetResult();
        await stopping;

        Assert.That(await Task.WhenAll(queued), Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public async Task StoppedBeforeItStarted_QueuedCallersHearStopped_InsteadOfWaitingForever()
    {
        using var committer = new GroupCommitter<int, int>(new GroupCommitOptions(MaxBatch: 1), (_, _) => Task.CompletedTask);
        var queued = committer.Enqueue(1);

        await committer.StopAsync(CancellationToken.None);

        Assert.That(async () => await queued, Throws.InstanceOf<GroupCommitStoppedException>());
    }

    [Test]
    public async Task WithoutDrainOnStop_TheStopDropsWhatIsQueued_AndCancelsTheCommitInFlight()
    {
        var inFlight = new TaskCompletionSource<CancellationToken>();
        var committed = new List<int>();
        using var committer = new GroupCommitter<int, bool>(new GroupCommitOptions(MaxBatch: 1, DrainOnStop: false), async (entries, stopping) =>
        {
            committed.Add(entries[0].Item);
            inFlight.TrySetResult(stopping);
            await Task.Delay(Timeout.Infinite, stopping);
        });
        committer.Start();
        Assert.That(committer.TryOffer(1), Is.True);
        var stopping = await inFlight.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(committer.TryOffer(2), Is.True);

        await committer.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.That(stopping.IsCancellationRequested, Is.True);
        Assert.That(committed, Is.EqualTo(new[] { 1 }), "the queued item was dropped, not committed");
    }
}
