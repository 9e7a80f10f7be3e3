using System.Diagnostics;
using Webhooks.Tests.Cli.Support;

namespace Webhooks.Tests.Cli;

/// <summary>The real <c>./webhooks</c> script in the repository root: builds the CLI when needed, runs it, passes its exit code on.</summary>
public class WebhooksScriptTests
{
    [Test]
    public async Task Script_RunsTheCli_WithTheServicesSettingsFromTheEnvironment()
    {
        await using var schema = await CliSchema.CreateMigratedAsync();
        await StoredEventSeed.InsertAsync(schema, "stripe", "evt_script", "charge.succeeded", TimeProvider.System.GetUtcNow(), "{}");
        var settings = schema.Settings();

        var listed = await RunScriptAsync(settings, "events", "list", "--json");
        var unknown = await RunScriptAsync(settings, "frobnicate");

        Assert.That(listed.ExitCode, Is.Zero, listed.ToString());
        Assert.That(listed.Json().EnumerateArray().Select(e => e.GetProperty("eventId").GetString()), Is.EqualTo(new[] { "evt_script" }));
        Assert.That(unknown.ExitCode, Is.EqualTo(2), unknown.ToString());
        Assert.That(unknown.Stdout, Is.Empty);
        Assert.That(unknown.StderrLines, Has.Length.EqualTo(1));
    }

    private static async Task<CliResult> RunScriptAsync(CliSettings settings, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryRoot(), "webhooks"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in settings.ToEnvironment())
        {
            start.Environment[name] = value;
        }

        // The test host's own MSBuild variables would steer the script's build into the test's SDK paths.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // The first run may build the CLI.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"./webhooks {string.Join(' ', args)} did not finish within 5 minutes: {await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "webhooks")) && File.Exists(Path.Combine(directory.FullName, "Webhooks.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (with ./webhooks and Webhooks.sln) is not above the test directory.");
    }
}
