namespace Webhooks.Processor.Orders;

/// <summary>
/// An event handed to the applier after it stopped taking work (the host is shutting down). Counted
/// as transient: the message is not dead-lettered but retried, and redelivered after a restart.
/// </summary>
public sealed class ApplierStoppedException : Exception
{
    public ApplierStoppedException()
    {
    }

    public ApplierStoppedException(string message)
        : base(message)
    {
    }

    public ApplierStoppedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
