namespace Webhooks.Infrastructure.Batching;

/// <summary>A <see cref="GroupCommitter{TItem, TResult}"/> refused an item: it holds its capacity already.</summary>
public sealed class GroupCommitFullException : Exception
{
    public GroupCommitFullException()
        : base("The queue is full.")
    {
    }

    public GroupCommitFullException(string message)
        : base(message)
    {
    }

    public GroupCommitFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
