namespace Webhooks.Receiver.Protection;

public enum IngressVerdict
{
    /// <summary>Go on: read the body and check the signature.</summary>
    Admitted,

    /// <summary>429: the address failed too often recently and its bucket is empty.</summary>
    RateLimited,

    /// <summary>503: too many requests are being read and verified already.</summary>
    Overloaded,
}
