using System.Threading.Channels;

namespace Webhooks.Infrastructure.Batching;

/// <summary>
/// The one group-commit mechanism of the services: callers enqueue an item and wait for its own
/// outcome; a few loops each take whatever is waiting (up to <see cref="GroupCommitOptions.MaxBatch"/>,
/// no timer) and hand it to one commit, so concurrent callers share commits without anyone waiting
/// for a clock. A caller hears its outcome only after its batch's commit returned: its result, its
/// own failure, or (when the commit throws) the batch's failure.
/// </summary>
/// <remarks>
/// Hosted as an <see cref="IHostedService"/> by its owner, not as a BackgroundService: its loops start
/// in <see cref="Start"/>, and <see cref="StopAsync"/> always applies what was queued before it
/// (those callers are still waiting), whatever the timing of the host's start and stop. Items that
/// arrive after the stop, or that were queued while the loops never started, fail with
/// <see cref="GroupCommitStoppedException"/>.
/// </remarks>
public sealed class GroupCommitter<TItem, TResult> : IDisposable
{
    private readonly Channel<GroupCommitEntry<TItem, TResult>> _channel;
    private readonly GroupCommitOptions _options;
    private readonly Func<IReadOnlyList<GroupCommitEntry<TItem, TResult>>, CancellationToken, Task> _commit;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loops;
    private bool _stopped;

    /// <param name="options">Capacity, batch size and number of loops.</param>
    /// <param name="commit">
    /// Commits one batch and completes each entry (<see cref="GroupCommitEntry{TItem, TResult}.Succeed"/>
    /// or <see cref="GroupCommitEntry{TItem, TResult}.Fail"/>). If it throws, every entry of the batch it
    /// has not completed fails with that exception, and the loop goes on. Its token fires at the stop
    /// only when <see cref="GroupCommitOptions.DrainOnStop"/> is off.
    /// </param>
    public GroupCommitter(GroupCommitOptions options, Func<IReadOnlyList<GroupCommitEntry<TItem, TResult>>, CancellationToken, Task> commit)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Loops, 1);
        _options = options;
        _commit = commit;
        _channel = options.Capacity is { } capacity
            ? Channel.CreateBounded<GroupCommitEntry<TItem, TResult>>(new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = options.Loops == 1,
            })
            : Channel.CreateUnbounded<GroupCommitEntry<TItem, TResult>>(new UnboundedChannelOptions { SingleReader = options.Loops == 1 });
    }

    /// <summary>Items waiting to be taken.</summary>
    public int Waiting => _channel.Reader.CanCount ? _channel.Reader.Count : 0;

    /// <summary>
    /// Queues <paramref name="item"/>; the task completes with its outcome after its batch's commit.
    /// Cancelling <paramref name="withdrawOn"/> while the item still waits withdraws it (the task is
    /// cancelled, the item is never committed); once taken, its outcome stands.
    /// </summary>
    /// <exception cref="GroupCommitFullException">The queue holds its capacity already.</exception>
    /// <exception cref="GroupCommitStoppedException">The queue has stopped taking items.</exception>
    public Task<TResult> Enqueue(TItem item, CancellationToken withdrawOn = default)
    {
        withdrawOn.ThrowIfCancellationRequested();
        var entry = new GroupCommitEntry<TItem, TResult>(item);
        if (!_channel.Writer.TryWrite(entry))
        {
            throw Volatile.Read(ref _stopped) ? new GroupCommitStoppedException() : new GroupCommitFullException();
        }

        return withdrawOn.CanBeCanceled ? WithdrawableAsync(entry, withdrawOn) : entry.Task;
    }

    /// <summary>Queues <paramref name="item"/> if there is room, without waiting for its outcome.</summary>
    public bool TryOffer(TItem item) => _channel.Writer.TryWrite(new GroupCommitEntry<TItem, TResult>(item));

    public void Start() => _loops ??= Task.WhenAll(Enumerable.Range(0, _options.Loops).Select(_ => Task.Run(LoopAsync, CancellationToken.None)));

    /// <summary>
    /// Takes no more items and returns when the loops have ended (or <paramref name="cancellationToken"/>
    /// fires): after committing what is queued, or, without <see cref="GroupCommitOptions.DrainOnStop"/>,
    /// after failing it and cancelling the commit in flight.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _stopped, true);
        _channel.Writer.TryComplete();
        if (!_options.DrainOnStop)
        {
            await _stopping.CancelAsync();
        }

        if (_loops is null || !_options.DrainOnStop)
        {
            while (_channel.Reader.TryRead(out var entry))
            {
                entry.Fail(new GroupCommitStoppedException());
            }
        }

        if (_loops is not null)
        {
            await _loops.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static async Task<TResult> WithdrawableAsync(GroupCommitEntry<TItem, TResult> entry, CancellationToken withdrawOn)
    {
        await using var withdraw = withdrawOn.Register(() => entry.TryWithdraw(withdrawOn));
        return await entry.Task;
    }

    private async Task LoopAsync()
    {
        var batch = new List<GroupCommitEntry<TItem, TResult>>(_options.MaxBatch);
        while (await _channel.Reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatch && _channel.Reader.TryRead(out var entry))
            {
                if (entry.TryTake())
                {
                    batch.Add(entry);
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            if (_stopping.IsCancellationRequested)
            {
                // Stopping without draining: what is still queued is dropped, not committed.
                foreach (var entry in batch)
                {
                    entry.Fail(new GroupCommitStoppedException());
                }

                continue;
            }

            try
            {
                await _commit(batch, _stopping.Token);
            }
            catch (Exception ex) // whatever failed, every caller of the batch must hear it and the loop must go on
            {
                foreach (var entry in batch)
                {
                    entry.Fail(ex);
                }
            }
        }
    }

    // Cancels the loops' token rather than disposing it: a host that failed to start may dispose its
    // services before it stops them, and a source without a timer holds nothing that must be released.
    public void Dispose() => _stopping.Cancel();
}
