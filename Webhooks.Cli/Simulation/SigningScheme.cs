namespace Webhooks.Cli.Simulation;

/// <summary>The receiver's signature schemes, as <c>Webhooks__Providers__&lt;name&gt;__Scheme</c> names them.</summary>
internal enum SigningScheme
{
    Stripe,
    Standard,
    Hmac,
}
