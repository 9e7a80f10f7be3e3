namespace Webhooks.Cli.DeadLetters;

/// <summary>The headers MassTransit 8 puts on a message it moves to <c>&lt;queue&gt;_error</c>.</summary>
internal static class FaultHeaders
{
    public const string Prefix = "MT-Fault-";
    public const string Message = "MT-Fault-Message";
    public const string ExceptionType = "MT-Fault-ExceptionType";
    public const string StackTrace = "MT-Fault-StackTrace";
    public const string Timestamp = "MT-Fault-Timestamp";
    public const string InputAddress = "MT-Fault-InputAddress";
    public const string ConsumerType = "MT-Fault-ConsumerType";
    public const string RetryCount = "MT-Fault-RetryCount";
    public const string Reason = "MT-Reason";
    public const string RedeliveryCount = "MT-Redelivery-Count";

    /// <summary>RabbitMQ.Client's own publish-tracking header: the copy gets a fresh one.</summary>
    public const string ClientSequenceNumber = "x-dotnet-pub-seq-no";

    /// <summary>What a replayed copy must not carry: it is a new attempt, not a failed one.</summary>
    public static bool IsDroppedOnReplay(string name) =>
        name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, Reason, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, RedeliveryCount, StringComparison.OrdinalIgnoreCase)
        || string.Equals(name, ClientSequenceNumber, StringComparison.OrdinalIgnoreCase);

    /// <summary>The queue of an input address such as <c>rabbitmq://host:5672/vhost/payment-event-received?bind=true</c>.</summary>
    public static string? QueueOf(string? inputAddress)
    {
        if (string.IsNullOrWhiteSpace(inputAddress) || !Uri.TryCreate(inputAddress, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var last = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return string.IsNullOrWhiteSpace(last) ? null : Uri.UnescapeDataString(last);
    }
}
