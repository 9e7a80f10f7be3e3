using Microsoft.Extensions.Time.Testing;
using Webhooks.Cli.Simulation;

namespace Webhooks.Tests.Cli.Simulation;

/// <summary>The simulator's rate limit, on a fake clock.</summary>
public class RequestPacerTests
{
    [Test]
    public async Task TenPerSecond_SpacesRequestsATenthOfASecondApart()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var pacer = new RequestPacer(10, clock);

        var first = pacer.WaitAsync(CancellationToken.None);
        var second = pacer.WaitAsync(CancellationToken.None);
        var third = pacer.WaitAsync(CancellationToken.None);

        Assert.That(first.IsCompleted, Is.True, "the first request goes at once");
        Assert.That(second.IsCompleted, Is.False);
        clock.Advance(TimeSpan.FromMilliseconds(99));
        Assert.That(second.IsCompleted, Is.False, "not before its slot");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await second;
        Assert.That(third.IsCompleted, Is.False);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        await third;
    }

    [Test]
    public async Task RateZero_NeverWaits()
    {
        var pacer = new RequestPacer(0, new FakeTimeProvider());

        for (var i = 0; i < 1000; i++)
        {
            var wait = pacer.WaitAsync(CancellationToken.None);
            Assert.That(wait.IsCompleted, Is.True);
            await wait;
        }
    }

    [Test]
    public void HighRate_LetsSmallBurstsThrough_ThenWaits()
    {
        var clock = new FakeTimeProvider();
        var pacer = new RequestPacer(1000, clock);

        var waits = Enumerable.Range(0, 60).Select(_ => pacer.WaitAsync(CancellationToken.None)).ToList();

        Assert.That(waits.Count(w => w.IsCompleted), Is.EqualTo(50), "50 ms worth of requests at once, as no timer wakes every millisecond");
        clock.Advance(TimeSpan.FromMilliseconds(10));
        Assert.That(waits.All(w => w.IsCompleted), Is.True);
    }
}
