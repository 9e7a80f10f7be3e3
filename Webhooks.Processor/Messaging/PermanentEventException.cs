namespace Webhooks.Processor.Messaging;

/// <summary>
/// An event that can never be applied as it is (its payload cannot be read). Retrying cannot help,
/// so it goes straight to the dead-letter queue with this message as the reason.
/// </summary>
public sealed class PermanentEventException : Exception
{
    public PermanentEventException()
    {
    }

    public PermanentEventException(string message)
        : base(message)
    {
    }

    public PermanentEventException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
