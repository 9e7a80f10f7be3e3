namespace Webhooks.Processor.Orders;

/// <summary>
/// One caller's event in <see cref="GroupCommitOrderApplier"/>'s queue. Either a batch takes it or
/// its caller withdraws it (cancelled), never both; once taken, its outcome stands.
/// </summary>
internal sealed class PendingApply(OrderEvent orderEvent)
{
    private const int Queued = 0;
    private const int Taken = 1;
    private const int Withdrawn = 2;

    private int _state = Queued;

    public OrderEvent Event { get; } = orderEvent;

    /// <summary>Completed only after the batch's commit returned (or failed).</summary>
    public TaskCompletionSource<ApplyResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What the batch did with this event, kept until the commit tells whether it stands.</summary>
    public ApplyResult? Result { get; set; }

    /// <summary>This event's own failure (its savepoint was rolled back); the rest of the batch went on.</summary>
    public Exception? Failure { get; set; }

    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Queued) == Queued;

    public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, Withdrawn, Queued) == Queued;

    /// <summary>Tells the caller, after the commit: its result, or its own failure.</summary>
    public void Complete()
    {
        if (Result is { } result && Failure is null)
        {
            Completion.TrySetResult(result);
        }
        else
        {
            Completion.TrySetException(Failure ?? new InvalidOperationException($"Event {Event.Provider}/{Event.EventId} was in a committed batch without an outcome."));
        }
    }
}
