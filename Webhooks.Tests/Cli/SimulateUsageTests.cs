using Webhooks.Tests.Cli.Support;

namespace Webhooks.Tests.Cli;

/// <summary><c>simulate</c> refuses, with exit code 2 and one sentence, what it cannot mean, before it sends anything.</summary>
public class SimulateUsageTests
{
    private static readonly CliSettings Settings = CliSettings.ForSchema("public");

    [TestCase(new[] { "--lose", "1.5" }, "--lose is a share of the orders")]
    [TestCase(new[] { "--duplicates", "-0.1" }, "--duplicates is a probability")]
    [TestCase(new[] { "--orders", "0" }, "Nothing to send")]
    [TestCase(new[] { "--concurrency", "0" }, "--concurrency must be between 1")]
    [TestCase(new[] { "--rate", "-1" }, "--rate must be 0")]
    [TestCase(new[] { "--scheme", "md5" }, "--scheme 'md5' is not a scheme")]
    [TestCase(new[] { "--url", "ftp://127.0.0.1" }, "--url 'ftp://127.0.0.1' is not an http or https address")]
    [TestCase(new[] { "--provider", "a/b" }, "--provider 'a/b' is not a provider name")]
    [TestCase(new[] { "--retry-delay", "soon" }, "--retry-delay 'soon' is not a duration")]
    [TestCase(new[] { "--provider", "nobody" }, "There is no secret for provider 'nobody'")]
    [TestCase(new[] { "--scheme", "standard", "--secret", "whsec_!!!" }, "--secret is not a standard scheme secret")]
    public async Task BadCommandLine_ExitsTwo_WithOneSentence_SendingNothing(string[] args, string expected)
    {
        var handler = new CountingHandler();

        var result = await CliRunner.RunWithHttpAsync(Settings, handler, ["simulate", .. args]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stdout, Is.Empty);
        Assert.That(result.StderrLines, Has.Length.EqualTo(1));
        Assert.That(result.Stderr, Does.Contain(expected));
        Assert.That(handler.Requests, Is.Zero);
    }

    [Test]
    public async Task Help_NamesTheGatewaysHabitsAndTheSummary()
    {
        var result = await CliRunner.RunAsync(Settings, "simulate", "--help");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("--lose").And.Contain("--poison").And.Contain("--duplicates").And.Contain("--seed").And.Contain("given up"));
    }

    private sealed class CountingHandler : HttpMessageHandler
    {
        private int _requests;

        public int Requests => _requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }
}
