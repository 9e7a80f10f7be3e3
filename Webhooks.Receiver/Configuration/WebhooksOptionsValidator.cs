using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Webhooks.Infrastructure.Signing;

namespace Webhooks.Receiver.Configuration;

/// <summary>
/// Checks every provider at start. Each message names the environment variable to fix and never
/// repeats a secret's value.
/// </summary>
internal sealed partial class WebhooksOptionsValidator : IValidateOptions<WebhooksOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhooksOptions options)
    {
        var failures = new List<string>();
        if (options.Providers.Count == 0)
        {
            failures.Add("Webhooks__Providers has no provider: configure at least one, "
                + "e.g. Webhooks__Providers__stripe__Scheme=stripe and Webhooks__Providers__stripe__Secrets__0=whsec_...");
        }

        if (options.MaxBodyBytes is < 1024 or > 64 * 1024 * 1024)
        {
            failures.Add($"Webhooks__MaxBodyBytes is {options.MaxBodyBytes}: use a value between 1024 and 67108864.");
        }

        if (options.StoreTimeout <= TimeSpan.Zero || options.StoreTimeout > TimeSpan.FromSeconds(30))
        {
            failures.Add($"Webhooks__StoreTimeout is {options.StoreTimeout}: use a value above zero and at most 00:00:30.");
        }

        if (options.StoreConcurrency is < 1 or > 64)
        {
            failures.Add($"Webhooks__StoreConcurrency is {options.StoreConcurrency}: use 1 to 64.");
        }

        if (options.StoreMaxBatch is < 1 or > 5000)
        {
            failures.Add($"Webhooks__StoreMaxBatch is {options.StoreMaxBatch}: use 1 to 5000.");
        }

        if (options.StoreQueueCapacity < 1)
        {
            failures.Add($"Webhooks__StoreQueueCapacity is {options.StoreQueueCapacity}: use a positive number.");
        }

        foreach (var (providerName, provider) in options.Providers)
        {
            ValidateProvider(providerName, provider, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateProvider(string name, ProviderOptions provider, List<string> failures)
    {
        var prefix = $"Webhooks__Providers__{name}__";
        if (!ProviderNamePattern().IsMatch(name))
        {
            failures.Add($"Webhooks__Providers__{name}: a provider name may contain letters, digits, '-' and '_' only (it is a URL segment).");
        }

        if (!TryParseScheme(provider.Scheme, out var scheme))
        {
            failures.Add($"{prefix}Scheme is '{provider.Scheme}': expected stripe, standard or hmac.");
            return;
        }

        var secrets = provider.Secrets.Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
        if (secrets.Count == 0)
        {
            failures.Add($"{prefix}Secrets__0 is not set: provider '{name}' needs at least one signing secret.");
        }

        if (scheme == SignatureScheme.Standard)
        {
            for (var i = 0; i < provider.Secrets.Count; i++)
            {
                if (!string.IsNullOrWhiteSpace(provider.Secrets[i]) && !StandardWebhooksSecret.TryDecode(provider.Secrets[i], out _))
                {
                    failures.Add($"{prefix}Secrets__{i} is not a Standard Webhooks secret: expected 'whsec_' followed by base64.");
                }
            }
        }

        if (scheme != SignatureScheme.Hmac && provider.ToleranceSeconds is < 1 or > 86_400)
        {
            failures.Add($"{prefix}ToleranceSeconds is {provider.ToleranceSeconds}: use 1 to 86400.");
        }

        if (scheme == SignatureScheme.Hmac)
        {
            if (string.IsNullOrWhiteSpace(provider.SignatureHeader))
            {
                failures.Add($"{prefix}SignatureHeader is not set: the hmac scheme needs the name of the header carrying the signature.");
            }

            if (provider.Encoding is not (null or "" or "hex" or "base64"))
            {
                failures.Add($"{prefix}Encoding is '{provider.Encoding}': expected hex or base64.");
            }

            var hasHeader = !string.IsNullOrWhiteSpace(provider.IdHeader);
            var hasField = !string.IsNullOrWhiteSpace(provider.IdField);
            if (hasHeader == hasField)
            {
                failures.Add($"{prefix}IdHeader or {prefix}IdField: set exactly one, so the receiver knows where the idempotency key is.");
            }
        }
    }

    internal static bool TryParseScheme(string? value, out SignatureScheme scheme)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "stripe": scheme = SignatureScheme.Stripe; return true;
            case "standard": scheme = SignatureScheme.Standard; return true;
            case "hmac": scheme = SignatureScheme.Hmac; return true;
            default: scheme = default; return false;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex ProviderNamePattern();
}
