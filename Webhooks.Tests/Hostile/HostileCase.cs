using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Hostile;

/// <summary>
/// One hostile request, named as a sentence, and the status it must get. <paramref name="FromApplication"/>:
/// the receiver answers it (problem+json); otherwise Kestrel refuses it before the application runs.
/// </summary>
public sealed record HostileCase(string Name, int ExpectedStatus, Func<Uri, Task<RawResponse>> Send, bool FromApplication = true)
{
    /// <summary>Text from the request that must appear neither in the answer nor in any log line.</summary>
    public string? MustNotEcho { get; init; }

    public override string ToString() => Name;
}
