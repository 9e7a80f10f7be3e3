using Webhooks.Tests.Infrastructure;

// No namespace: a SetUpFixture outside any namespace wraps the whole test assembly.
#pragma warning disable CA1050

/// <summary>
/// After every test has run: no log line written by any host under test, in the whole run, contains
/// a configured signing secret or the Stripe API key of the reconciliation tests. A failure here fails the run.
/// </summary>
[SetUpFixture]
public sealed class RunWideLogCheck
{
    [OneTimeTearDown]
    public void NoSecretInAnyLogLine()
    {
        var lines = CapturedLogs.AllLines.ToArray();
        string[] secrets = [.. ReceiverFactory.Secrets, StripeStandIn.Key];
        var leaks = lines.Where(line => secrets.Any(secret => line.Contains(secret, StringComparison.Ordinal))).Take(3).ToList();
        Assert.That(leaks, Is.Empty, $"{leaks.Count} log lines of {lines.Length} contain a configured secret");
    }
}
