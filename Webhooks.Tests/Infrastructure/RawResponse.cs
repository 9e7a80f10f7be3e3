namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// What came back on a raw connection: the first response's status, headers and body, or no status
/// when the server closed the connection without answering. <see cref="After"/>: whatever the server sent
/// after that response, when the exchange was asked to keep listening.
/// </summary>
public sealed record RawResponse(int? Status, IReadOnlyDictionary<string, string> Headers, string Body, TimeSpan Elapsed)
{
    public string After { get; init; } = "";

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => Status is null
        ? $"no answer, connection closed after {Elapsed.TotalSeconds:0.0} s"
        : $"{Status} after {Elapsed.TotalSeconds:0.0} s: {Body}";
}
