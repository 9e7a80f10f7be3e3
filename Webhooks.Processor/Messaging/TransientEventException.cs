namespace Webhooks.Processor.Messaging;

/// <summary>
/// An event that could not be applied for a passing reason (the database away, a timeout): the
/// consumer wraps the transient failure in this, so that the one exception type names it all the
/// way through MassTransit, including in the <c>Fault</c> it publishes when the retry budget runs
/// out and the message goes back to its queue (<see cref="TransientFailureHandling"/>): such a
/// fault is not a dead letter and raises no alert.
/// </summary>
public sealed class TransientEventException : Exception
{
    public TransientEventException()
    {
    }

    public TransientEventException(string message)
        : base(message)
    {
    }

    public TransientEventException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
