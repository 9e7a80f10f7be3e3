namespace Webhooks.Cli.Simulation;

/// <summary>What the run is asked for on the command line, checked (<see cref="Validate"/>) before anything is sent.</summary>
internal sealed record SimulationSettings
{
    public const int MaxOrders = 100_000;
    public const int MaxPoison = 1_000;
    public const int MaxConcurrency = 256;
    public const int MaxRetriesLimit = 10;

    public int Orders { get; init; } = 20;

    /// <summary>HTTP requests per second, every attempt counted; 0 sends as fast as the receiver answers.</summary>
    public double Rate { get; init; } = 50;

    public int Concurrency { get; init; } = 4;

    public double Duplicates { get; init; } = 0.1;

    public bool Shuffle { get; init; } = true;

    public double Lose { get; init; }

    /// <summary>Share of the paid orders whose customer opens a dispute (then still open, won or lost).</summary>
    public double Disputes { get; init; }

    public int Poison { get; init; }

    public int? Seed { get; init; }

    public int MaxRetries { get; init; } = 3;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary><c>--report-file</c>: where to write the run's machine-readable record (<see cref="SimulationRecord"/>); none when null.</summary>
    public string? ReportFile { get; init; }

    public void Validate()
    {
        Check(Orders is >= 0 and <= MaxOrders, $"--orders must be between 0 and {MaxOrders:N0}");
        Check(Poison is >= 0 and <= MaxPoison, $"--poison must be between 0 and {MaxPoison:N0}");
        Check(Orders + Poison > 0, "Nothing to send: give --orders or --poison more than 0");
        Check(Rate >= 0 && double.IsFinite(Rate), "--rate must be 0 (no limit) or more");
        Check(Concurrency is >= 1 and <= MaxConcurrency, $"--concurrency must be between 1 and {MaxConcurrency}");
        Check(Duplicates is >= 0 and <= 1, "--duplicates is a probability: between 0 and 1");
        Check(Lose is >= 0 and <= 1, "--lose is a share of the orders: between 0 and 1");
        Check(Disputes is >= 0 and <= 1, "--disputes is a share of the paid orders: between 0 and 1");
        Check(MaxRetries is >= 0 and <= MaxRetriesLimit, $"--max-retries must be between 0 and {MaxRetriesLimit}");
        Check(RetryDelay <= TimeSpan.FromMinutes(1), "--retry-delay must be at most 1m");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw CliException.Usage(message);
        }
    }
}
