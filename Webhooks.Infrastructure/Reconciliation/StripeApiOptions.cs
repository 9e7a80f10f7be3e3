namespace Webhooks.Infrastructure.Reconciliation;

/// <summary>Stripe's API for reconciliation (<c>Reconciliation__Stripe__*</c>).</summary>
public sealed class StripeApiOptions
{
    public const string DefaultApiBase = "https://api.stripe.com";

    /// <summary>
    /// A restricted key (<c>rk_...</c>) with read access to events and payment intents; a secret key
    /// (<c>sk_...</c>) works too but can do far more than reading. A secret: never logged.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Where Stripe's API is; another address for a proxy or a stand-in.</summary>
    public string ApiBase { get; set; } = DefaultApiBase;

    /// <summary>The receiver's provider whose events these are: recovered events are stored under this name, as if it had received them.</summary>
    public string Provider { get; set; } = "stripe";
}
