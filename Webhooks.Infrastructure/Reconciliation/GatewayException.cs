namespace Webhooks.Infrastructure.Reconciliation;

/// <summary>
/// A call to the gateway's API that failed for good, in one sentence that names what to fix. The message
/// is written here, never copied from the API's answer unredacted: Stripe's own error texts quote the key.
/// </summary>
public sealed class GatewayException : Exception
{
    public GatewayException(string kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public GatewayException()
        : this(GatewayFailureKind.Rejected, "The gateway's API failed.")
    {
    }

    public GatewayException(string message)
        : this(GatewayFailureKind.Rejected, message)
    {
    }

    public GatewayException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = GatewayFailureKind.Rejected;
    }

    /// <summary>A <see cref="GatewayFailureKind"/>.</summary>
    public string Kind { get; } = GatewayFailureKind.Rejected;
}
