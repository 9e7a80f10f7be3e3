using Microsoft.Extensions.Time.Testing;

namespace Webhooks.Tests.Infrastructure;

/// <summary>Moving a fake clock while the code under test waits on it (the Slack client's retry delays, say).</summary>
public static class FakeClockExtensions
{
    /// <summary>
    /// Advances <paramref name="clock"/> by <paramref name="step"/> until <paramref name="work"/> completes
    /// (at most <paramref name="timeout"/> of real time), then returns its result.
    /// </summary>
    public static async Task<T> AdvanceUntilDoneAsync<T>(this FakeTimeProvider clock, Task<T> work, TimeSpan step, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(work);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!work.IsCompleted && DateTime.UtcNow < deadline)
        {
            await Task.WhenAny(work, Task.Delay(20));
            if (!work.IsCompleted)
            {
                clock.Advance(step);
            }
        }

        return await work.WaitAsync(TimeSpan.FromSeconds(1));
    }
}
