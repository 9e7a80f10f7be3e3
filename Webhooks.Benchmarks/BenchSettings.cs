using Webhooks.Receiver.Ingestion;

namespace Webhooks.Benchmarks;

internal static class BenchSettings
{
    public static string Secret => Environment.GetEnvironmentVariable("BENCH_SECRET") ?? throw new InvalidOperationException("BENCH_SECRET is not set.");

    /// <summary>Generous: the load tool signs with its own clock, a run lasts minutes.</summary>
    public const int ToleranceSeconds = 3600;

    /// <summary>The request body as both comparison servers read it (at most 1 MiB, within 10 s); null when it is not all there.</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpContext context) =>
        (await RequestBodyReader.ReadAsync(context.Request, 1_048_576, TimeSpan.FromSeconds(10), TimeProvider.System, context.RequestAborted)).Body;
}
