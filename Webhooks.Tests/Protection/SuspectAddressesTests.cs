using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Receiver.Protection;

namespace Webhooks.Tests.Protection;

/// <summary>The per-address failure limiter on a fake clock: who is limited, for how long, and how much it may remember.</summary>
public class SuspectAddressesTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress Gateway = IPAddress.Parse("198.51.100.20");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2025, 7, 1, 12, 0, 0, TimeSpan.Zero));

    [Test]
    public void FailuresBelowTheThreshold_LeaveTheAddressAdmitted()
    {
        var suspects = Create();

        Fail(suspects, Attacker, 4);

        Assert.That(suspects.TryAdmit(Attacker, out _), Is.True);
    }

    [Test]
    public void ReachingTheThreshold_LimitsTheAddress_WithRetryAfterFromItsBucket()
    {
        var suspects = Create(o => o.LimitedRequestsPerSecond = 0.5);

        Fail(suspects, Attacker, 5);

        Assert.That(suspects.TryAdmit(Attacker, out var retryAfter), Is.False);
        Assert.That(retryAfter, Is.EqualTo(TimeSpan.FromSeconds(2)), "an empty bucket at half a token a second");
    }

    [Test]
    public void ALimitedAddress_GetsATokenPerInterval_AndNoMore()
    {
        var suspects = Create(o => o.LimitedRequestsPerSecond = 1);
        Fail(suspects, Attacker, 5);

        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.That(suspects.TryAdmit(Attacker, out _), Is.True, "one token after a second");
        Assert.That(suspects.TryAdmit(Attacker, out _), Is.False, "and only one");
    }

    [Test]
    public void ALimitedAddress_IsLetGo_AfterAWholeWindowWithoutFailures()
    {
        var suspects = Create(o => o.LimitedRequestsPerSecond = 0.001);
        Fail(suspects, Attacker, 5);

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.That(suspects.TryAdmit(Attacker, out _), Is.False);
        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.That(suspects.TryAdmit(Attacker, out _), Is.True);
        Assert.That(suspects.TryAdmit(Attacker, out _), Is.True, "clean again, not a bucket");
    }

    [Test]
    public void FailuresWhileLimited_KeepTheAddressLimited()
    {
        var suspects = Create(o => o.LimitedRequestsPerSecond = 0.001);
        Fail(suspects, Attacker, 5);

        _clock.Advance(TimeSpan.FromSeconds(50));
        Fail(suspects, Attacker, 1);
        _clock.Advance(TimeSpan.FromSeconds(50));

        Assert.That(suspects.TryAdmit(Attacker, out _), Is.False, "the window counts from the last failure");
    }

    [Test]
    public void FailuresSpreadOverMoreThanAWindow_DoNotAddUp()
    {
        var suspects = Create();

        Fail(suspects, Attacker, 4);
        _clock.Advance(TimeSpan.FromSeconds(61));
        Fail(suspects, Attacker, 4);

        Assert.That(suspects.TryAdmit(Attacker, out _), Is.True);
    }

    [Test]
    public void AnotherAddress_IsNotLimited_WhileOneIs()
    {
        var suspects = Create();

        Fail(suspects, Attacker, 50);

        Assert.That(suspects.TryAdmit(Attacker, out _), Is.False);
        Assert.That(suspects.TryAdmit(Gateway, out _), Is.True);
        Assert.That(suspects.TryAdmit(null, out _), Is.True, "no address (not over TCP) is never limited");
    }

    [Test]
    public void IPv6Addresses_AreTrackedByTheirSlash64()
    {
        var suspects = Create();

        for (var i = 1; i <= 5; i++)
        {
            suspects.RecordFailure(IPAddress.Parse($"2001:db8:1:2::{i:x}"));
        }

        Assert.That(suspects.TryAdmit(IPAddress.Parse("2001:db8:1:2:ffff:ffff:ffff:ffff"), out _), Is.False, "the same /64");
        Assert.That(suspects.TryAdmit(IPAddress.Parse("2001:db8:1:3::1"), out _), Is.True, "the next /64");
        Assert.That(suspects.Count, Is.EqualTo(1));
    }

    [Test]
    public void AnIPv4MappedAddress_IsTheSameCallerAsItsIPv4Address()
    {
        var suspects = Create();

        Fail(suspects, Attacker.MapToIPv6(), 5);

        Assert.That(suspects.TryAdmit(Attacker, out _), Is.False);
    }

    [Test]
    public void AnExemptNetwork_IsNeverLimited_NorTracked()
    {
        var suspects = Create(o => o.ExemptNetworks = ["203.0.113.0/24"]);

        Fail(suspects, Attacker, 50);

        Assert.That(suspects.TryAdmit(Attacker, out _), Is.True);
        Assert.That(suspects.Count, Is.Zero);
    }

    [Test]
    public void ASprayOfAddresses_NeverGrowsTheMapBeyondItsCap()
    {
        var suspects = Create(o => o.MaxTrackedAddresses = 1000);

        for (var i = 0; i < 20_000; i++)
        {
            suspects.RecordFailure(new IPAddress([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]));
            if (i % 1000 == 0)
            {
                _clock.Advance(TimeSpan.FromSeconds(2));
            }
        }

        Assert.That(suspects.Count, Is.EqualTo(1000));
    }

    [Test]
    public void AFullMap_DropsIdleAddresses_AndTracksNewOnes()
    {
        var suspects = Create(o => o.MaxTrackedAddresses = 100);
        for (var i = 0; i < 100; i++)
        {
            suspects.RecordFailure(new IPAddress([10, 0, 0, (byte)i]));
        }

        _clock.Advance(TimeSpan.FromSeconds(61));
        Fail(suspects, Attacker, 5);

        Assert.That(suspects.TryAdmit(Attacker, out _), Is.False, "tracked, and limited");
        Assert.That(suspects.Count, Is.EqualTo(1));
    }

    [Test]
    public void AFullMapOfRecentFailures_LeavesANewAddressUntracked_RatherThanGrow()
    {
        var suspects = Create(o => o.MaxTrackedAddresses = 100);
        for (var i = 0; i < 100; i++)
        {
            suspects.RecordFailure(new IPAddress([10, 0, 0, (byte)i]));
        }

        _clock.Advance(TimeSpan.FromSeconds(2));
        Fail(suspects, Attacker, 5);

        Assert.That(suspects.Count, Is.EqualTo(100));
        Assert.That(suspects.TryAdmit(Attacker, out _), Is.True);
    }

    private SuspectAddresses Create(Action<ProtectionOptions>? configure = null)
    {
        var options = new ProtectionOptions { FailureThreshold = 5, FailureWindow = TimeSpan.FromMinutes(1), LimitedBurst = 2, LimitedRequestsPerSecond = 1 };
        configure?.Invoke(options);
        return new SuspectAddresses(Options.Create(options), _clock, NullLogger<SuspectAddresses>.Instance);
    }

    private static void Fail(SuspectAddresses suspects, IPAddress address, int times)
    {
        for (var i = 0; i < times; i++)
        {
            suspects.RecordFailure(address);
        }
    }
}
