namespace Webhooks.Receiver.Ingestion;

/// <summary>Where a provider's idempotency key is: the signed id, a header, or a field of the JSON body.</summary>
public sealed record EventKeySource(bool FromSignature, string? Header, string[]? BodyPath)
{
    public static EventKeySource SignedId { get; } = new(true, null, null);

    public static EventKeySource FromHeader(string header) => new(false, header, null);

    /// <summary>A dotted path such as <c>id</c> or <c>data.id</c>.</summary>
    public static EventKeySource FromBody(string dottedPath) => new(false, null, dottedPath.Split('.'));

    public string Describe() =>
        FromSignature ? "the signed webhook-id header"
        : Header is not null ? $"the {Header} header"
        : $"the body field '{string.Join('.', BodyPath!)}'";
}
