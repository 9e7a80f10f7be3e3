namespace Webhooks.Infrastructure.Batching;

/// <summary>
/// One caller's item in a <see cref="GroupCommitter{TItem, TResult}"/>. Either a batch takes it or its
/// caller withdraws it, never both; once taken, the first outcome set is the one the caller hears.
/// </summary>
public sealed class GroupCommitEntry<TItem, TResult>
{
    private const int Queued = 0;
    private const int Taken = 1;
    private const int Withdrawn = 2;

    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _state = Queued;

    internal GroupCommitEntry(TItem item) => Item = item;

    public TItem Item { get; }

    /// <summary>Whether an outcome has been set.</summary>
    public bool IsCompleted => _completion.Task.IsCompleted;

    internal Task<TResult> Task => _completion.Task;

    public void Succeed(TResult result) => _completion.TrySetResult(result);

    public void Fail(Exception failure) => _completion.TrySetException(failure);

    internal bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

    internal void TryWithdraw(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, Withdrawn, Queued) == Queued)
        {
            _completion.TrySetCanceled(cancellationToken);
        }
    }
}
