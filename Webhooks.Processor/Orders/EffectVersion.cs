namespace Webhooks.Processor.Orders;

/// <summary>
/// Orders values that are replaced rather than ranked (an order's amount, a dispute's details): the
/// higher version wins, whatever order the events arrive in. A version is a rank first (how much the
/// kind of event or state weighs) and then the time the gateway made the event, so that of two
/// snapshots of equal weight the newer one wins. One bigint, so SQL compares it with <c>&gt;</c> and
/// <c>max()</c>.
/// </summary>
public static class EffectVersion
{
    // Unix seconds stay below 10^11 until the year 5138.
    private const long TimeRange = 100_000_000_000;

    public static long Of(int rank, DateTimeOffset madeAt) =>
        (rank * TimeRange) + Math.Clamp(madeAt.ToUnixTimeSeconds(), 0, TimeRange - 1);
}
