using System.Globalization;

namespace Webhooks.Benchmarks;

/// <summary>
/// <c>template</c> writes the real-shaped event body the load tool signs; <c>sink</c> binds a bounded
/// queue to an exchange so publishes are routed; <c>bare</c> and <c>naive</c> serve the comparison
/// endpoints; <c>backlog</c> fills the processor's queue for the drain benchmark; <c>consume</c>
/// measures the consume pipeline alone. The receiver itself is measured as its own process.
/// </summary>
public static class BenchmarkMain
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "template":
                await EventTemplate.WriteAsync(args[1], args[2]);
                return 0;
            case "sink":
                await SinkQueue.BindAsync(args[1], args[2], args.Length > 3 ? args[3] : null);
                return 0;
            case "count":
                Console.WriteLine(await StoredRows.CountAsync(args[1], args[2]));
                return 0;
            case "publish":
                await PublishProbe.RunAsync(args[1], Number(args[2]), Number(args[3]));
                return 0;
            case "backlog":
                await ProcessorBacklog.FillAsync(args[1], args[2], Number(args[3]), Number(args[4]));
                return 0;
            case "consume":
                await ConsumeProbe.RunAsync(args[1], args[2], args[3], Number(args[4]));
                return 0;
            case "apply":
                await ApplyProbe.RunAsync(args[1], Number(args[2]), Number(args[3]));
                return 0;
            case "bare":
                await BareServer.RunAsync(args[1..]);
                return 0;
            case "naive":
                await NaiveServer.RunAsync(args[1..]);
                return 0;
            default:
                await Console.Error.WriteLineAsync(Usage);
                return 2;
        }
    }

    private const string Usage = "usage: Webhooks.Benchmarks template <fixtures-dir> <out-file>"
        + " | sink <exchange> <queue> [classic|quorum]"
        + " | count <schema> <id-prefix>"
        + " | publish <template-file> <count> <in-flight>"
        + " | backlog <template-file> <run-id> <count> <events-per-order>"
        + " | consume declare|raw|single|batch <exchange> <queue> <count>"
        + " | apply <schema> <count> <concurrency>"
        + " | bare|naive [--urls URL]";

    private static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);
}
