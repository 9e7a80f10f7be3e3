namespace Webhooks.Cli;

/// <summary>
/// <c>./webhooks &lt;verb&gt; ...</c>: the on-call tool. The verbs are listed in
/// <see cref="CliApplication.CreateRootCommand"/>; exit codes and <c>--json</c> shapes follow the
/// outside contract (0 done, 1 failed, 2 usage error; JSON only on standard output).
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => CliApplication.RunAsync(args, CliEnvironment.FromProcess());
}
