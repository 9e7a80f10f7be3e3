namespace Webhooks.Benchmarks;

internal static class BenchSettings
{
    public static string Secret => Environment.GetEnvironmentVariable("BENCH_SECRET") ?? throw new InvalidOperationException("BENCH_SECRET is not set.");

    /// <summary>Generous: the load tool signs with its own clock, a run lasts minutes.</summary>
    public const int ToleranceSeconds = 3600;
}
