using Microsoft.Extensions.Options;

namespace Webhooks.Infrastructure.Reconciliation;

/// <summary>
/// The one check of <c>Reconciliation__*</c>, for the processor (at start) and the CLI (before a run):
/// each failure names the setting. The key's value never appears in a message.
/// </summary>
public sealed class ReconciliationOptionsValidator : IValidateOptions<ReconciliationOptions>
{
    public ValidateOptionsResult Validate(string? name, ReconciliationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Interval < TimeSpan.FromSeconds(1) || options.Interval > TimeSpan.FromDays(1))
        {
            failures.Add("Reconciliation__Interval must be a time span between 00:00:01 and 1.00:00:00.");
        }

        if (options.LookBack < TimeSpan.FromMinutes(1) || options.LookBack > ReconciliationOptions.MaxLookBack)
        {
            failures.Add("Reconciliation__LookBack must be a time span between 00:01:00 and 30.00:00:00 (Stripe's API keeps events for 30 days).");
        }

        var stripe = options.Stripe;
        if (!string.IsNullOrWhiteSpace(stripe.ApiKey) && !LooksLikeAKey(stripe.ApiKey))
        {
            failures.Add("Reconciliation__Stripe__ApiKey is not a Stripe API key: it must start with rk_ (a restricted key, best) or sk_, with no spaces.");
        }

        if (!Uri.TryCreate(stripe.ApiBase, UriKind.Absolute, out var apiBase) || apiBase.Scheme is not ("https" or "http") || apiBase.Query.Length > 0)
        {
            failures.Add($"Reconciliation__Stripe__ApiBase '{stripe.ApiBase}' is not an http(s) address such as {StripeApiOptions.DefaultApiBase}.");
        }

        if (string.IsNullOrWhiteSpace(stripe.Provider))
        {
            failures.Add("Reconciliation__Stripe__Provider must name the receiver's provider of Stripe's events (e.g. stripe).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool LooksLikeAKey(string key) =>
        (key.StartsWith("rk_", StringComparison.Ordinal) || key.StartsWith("sk_", StringComparison.Ordinal))
        && key.Length > 8 && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
