namespace Webhooks.Infrastructure.Batching;

/// <summary>A <see cref="GroupCommitter{TItem, TResult}"/> has stopped taking items (the host is shutting down).</summary>
public sealed class GroupCommitStoppedException : Exception
{
    public GroupCommitStoppedException()
        : base("The queue has stopped (the process is shutting down).")
    {
    }

    public GroupCommitStoppedException(string message)
        : base(message)
    {
    }

    public GroupCommitStoppedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
