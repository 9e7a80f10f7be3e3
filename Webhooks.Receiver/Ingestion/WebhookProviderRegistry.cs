using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Webhooks.Receiver.Configuration;
using Webhooks.Receiver.Signatures;

namespace Webhooks.Receiver.Ingestion;

/// <summary>Builds each provider's verifier once from validated settings; looks them up by route name.</summary>
public sealed class WebhookProviderRegistry
{
    private readonly FrozenDictionary<string, WebhookProvider> _providers;

    public WebhookProviderRegistry(IOptions<WebhooksOptions> options, TimeProvider clock)
    {
        _providers = options.Value.Providers
            .Select(p => Build(p.Key.ToLowerInvariant(), p.Value, clock))
            .ToFrozenDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
    }

    public bool TryGet(string name, out WebhookProvider provider) => _providers.TryGetValue(name, out provider!);

    private static WebhookProvider Build(string name, ProviderOptions options, TimeProvider clock)
    {
        if (!WebhooksOptionsValidator.TryParseScheme(options.Scheme, out var scheme))
        {
            throw new OptionsValidationException(
                name, typeof(ProviderOptions), [$"Webhooks__Providers__{name}__Scheme is '{options.Scheme}': expected stripe, standard or hmac."]);
        }

        var secrets = options.Secrets.Where(s => !string.IsNullOrWhiteSpace(s)).ToArray();
        return scheme switch
        {
            SignatureScheme.Stripe => new WebhookProvider(
                name,
                new StripeSignatureVerifier(secrets, options.ToleranceSeconds, clock),
                EventKeySource.FromBody("id")),
            SignatureScheme.Standard => new WebhookProvider(
                name,
                new StandardWebhooksSignatureVerifier(secrets, options.ToleranceSeconds, clock),
                EventKeySource.SignedId),
            _ => new WebhookProvider(
                name,
                new HmacSignatureVerifier(secrets, options.SignatureHeader!, options.Encoding, options.SignaturePrefix, options.IdHeader),
                string.IsNullOrWhiteSpace(options.IdHeader) ? EventKeySource.FromBody(options.IdField!) : EventKeySource.FromHeader(options.IdHeader)),
        };
    }
}
