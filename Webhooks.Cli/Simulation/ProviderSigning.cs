using System.Globalization;
using Microsoft.Extensions.Configuration;
using Webhooks.Infrastructure.Signing;

namespace Webhooks.Cli.Simulation;

/// <summary>
/// How the simulated gateway signs for one provider: the scheme and secret given on the command
/// line, or else the receiver's own settings for that provider (<c>Webhooks__Providers__&lt;name&gt;__*</c>),
/// which the CLI reads as the receiver does. The <c>hmac</c> scheme's header, encoding, prefix and
/// idempotency key come from those settings only: they describe the receiver, not the run.
/// </summary>
internal sealed record ProviderSigning(
    string Provider,
    SigningScheme Scheme,
    string Secret,
    string? SignatureHeader = null,
    bool Base64 = false,
    string? SignaturePrefix = null,
    string? IdHeader = null,
    string? IdField = null)
{
    public static ProviderSigning Resolve(IConfiguration configuration, string provider, string? scheme, string? secret)
    {
        var section = configuration.GetSection($"Webhooks:Providers:{provider}");
        var variable = $"Webhooks__Providers__{provider}";
        var schemeText = scheme ?? section["Scheme"] ?? "stripe";
        var parsedScheme = schemeText.ToLowerInvariant() switch
        {
            "stripe" => SigningScheme.Stripe,
            "standard" => SigningScheme.Standard,
            "hmac" => SigningScheme.Hmac,
            _ => throw (scheme is null
                ? new CliException($"{variable}__Scheme '{schemeText}' is not a scheme: stripe, standard or hmac")
                : CliException.Usage($"--scheme '{schemeText}' is not a scheme: write stripe, standard or hmac")),
        };

        // The first secret, as the receiver lists them: any active one verifies.
        var configuredSecret = section.GetSection("Secrets").GetChildren()
            .OrderBy(s => int.TryParse(s.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue)
            .Select(s => s.Value)
            .FirstOrDefault(v => !string.IsNullOrEmpty(v));
        var chosenSecret = secret ?? configuredSecret
            ?? throw CliException.Usage($"There is no secret for provider '{provider}': pass --secret, or set {variable}__Secrets__0 as the receiver has it");

        if (parsedScheme == SigningScheme.Standard && !StandardWebhooksSecret.TryDecode(chosenSecret, out _))
        {
            throw secret is null
                ? new CliException($"{variable}__Secrets__0 is not a standard scheme secret: base64 after 'whsec_'")
                : CliException.Usage("--secret is not a standard scheme secret: base64 after 'whsec_'");
        }

        if (parsedScheme != SigningScheme.Hmac)
        {
            return new ProviderSigning(provider, parsedScheme, chosenSecret);
        }

        var header = section["SignatureHeader"];
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new CliException($"The hmac scheme needs the receiver's {variable}__SignatureHeader (and __IdHeader or __IdField) to sign as it expects");
        }

        var idHeader = section["IdHeader"];
        var idField = section["IdField"];
        if (string.IsNullOrWhiteSpace(idHeader) && string.IsNullOrWhiteSpace(idField))
        {
            throw new CliException($"The hmac scheme needs {variable}__IdHeader or {variable}__IdField: where the receiver finds the idempotency key");
        }

        return new ProviderSigning(
            provider,
            parsedScheme,
            chosenSecret,
            header,
            string.Equals(section["Encoding"], "base64", StringComparison.OrdinalIgnoreCase),
            section["SignaturePrefix"],
            string.IsNullOrWhiteSpace(idHeader) ? null : idHeader,
            string.IsNullOrWhiteSpace(idField) ? null : idField);
    }

    public string SchemeName => Scheme.ToString().ToLowerInvariant();
}
