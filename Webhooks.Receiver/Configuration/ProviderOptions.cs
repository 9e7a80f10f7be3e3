namespace Webhooks.Receiver.Configuration;

/// <summary>One provider's settings (<c>Webhooks__Providers__&lt;name&gt;__*</c>).</summary>
public sealed class ProviderOptions
{
    /// <summary><c>stripe</c>, <c>standard</c> or <c>hmac</c>.</summary>
    public string? Scheme { get; set; }

    /// <summary>Active signing secrets; a signature made with any one of them is accepted (rotation).</summary>
    public List<string> Secrets { get; set; } = [];

    /// <summary>Allowed distance between the signed timestamp and our clock, both directions.</summary>
    public int ToleranceSeconds { get; set; } = 300;

    /// <summary><c>hmac</c> only: the header that carries the signature.</summary>
    public string? SignatureHeader { get; set; }

    /// <summary><c>hmac</c> only: <c>hex</c> (default) or <c>base64</c>.</summary>
    public string? Encoding { get; set; }

    /// <summary><c>hmac</c> only: a prefix before the signature value, such as <c>sha256=</c>.</summary>
    public string? SignaturePrefix { get; set; }

    /// <summary><c>hmac</c> only: the header carrying the idempotency key.</summary>
    public string? IdHeader { get; set; }

    /// <summary><c>hmac</c> only: the dotted JSON path of the idempotency key, such as <c>data.id</c>.</summary>
    public string? IdField { get; set; }
}
