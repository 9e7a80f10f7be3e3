using System.Text.Json;

namespace Webhooks.Tests.Cli.Support;

/// <summary>What one run of the CLI did: its exit code and everything it wrote.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard output parsed as JSON; fails the test when it is anything else.</summary>
    public JsonElement Json()
    {
        try
        {
            using var document = JsonDocument.Parse(Stdout);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            Assert.Fail($"standard output is not JSON ({ex.Message}):\n{Stdout}\nstandard error:\n{Stderr}");
            throw;
        }
    }

    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
