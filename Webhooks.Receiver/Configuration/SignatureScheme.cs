namespace Webhooks.Receiver.Configuration;

public enum SignatureScheme
{
    Stripe,
    Standard,
    Hmac,
}
