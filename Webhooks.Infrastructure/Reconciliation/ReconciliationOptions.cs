namespace Webhooks.Infrastructure.Reconciliation;

/// <summary>
/// Reconciliation with the gateway (<c>Reconciliation__*</c>): read by the processor, which reconciles
/// every <see cref="Interval"/>, and by the CLI's <c>reconcile</c>, which does one pass by hand. Off
/// unless <c>Reconciliation__Stripe__ApiKey</c> is set. Checked by <see cref="ReconciliationOptionsValidator"/>.
/// </summary>
public sealed class ReconciliationOptions
{
    public const string SectionName = "Reconciliation";

    /// <summary>The longest look-back: Stripe's API keeps events for 30 days.</summary>
    public static readonly TimeSpan MaxLookBack = TimeSpan.FromDays(30);

    /// <summary>How often the processor asks the gateway for events it did not deliver.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How far back each pass lists undelivered events (at most 30 days, what the gateway keeps).</summary>
    public TimeSpan LookBack { get; set; } = TimeSpan.FromDays(3);

    public StripeApiOptions Stripe { get; set; } = new();

    public bool Enabled => !string.IsNullOrWhiteSpace(Stripe.ApiKey);
}
