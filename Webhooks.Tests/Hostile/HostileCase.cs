using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Hostile;

/// <summary>
/// One hostile request, named as a sentence, and the status it must get. <paramref name="FromApplication"/>:
/// the receiver answers it (problem+json); otherwise Kestrel refuses it before the application runs.
/// </summary>
public sealed record HostileCase(string Name, int ExpectedStatus, Func<Uri, Task<RawResponse>> Send, bool FromApplication = true)
{
    public override string ToString() => Name;
}
