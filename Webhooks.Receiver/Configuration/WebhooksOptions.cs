namespace Webhooks.Receiver.Configuration;

/// <summary>The receiver's settings (<c>Webhooks__*</c>).</summary>
public sealed class WebhooksOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>Configured providers by route name: <c>POST /webhooks/{name}</c>.</summary>
    public Dictionary<string, ProviderOptions> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Largest body accepted; larger ones get 413 before any signature work.</summary>
    public long MaxBodyBytes { get; set; } = 1_048_576;

    /// <summary>
    /// How long a request waits for its commit before answering 503. Well under a gateway's own
    /// timeout (Stripe gives up after about 10 s) so that the gateway sees a clear retryable status.
    /// </summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Commits that may run at once; concurrent requests share each commit.</summary>
    public int StoreConcurrency { get; set; } = 4;

    /// <summary>Most events written by one commit.</summary>
    public int StoreMaxBatch { get; set; } = 256;

    /// <summary>Requests that may wait for a commit before the receiver answers 503 at once.</summary>
    public int StoreQueueCapacity { get; set; } = 10_000;
}
