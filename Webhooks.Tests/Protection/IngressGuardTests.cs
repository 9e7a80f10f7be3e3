using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Webhooks.Receiver.Protection;

namespace Webhooks.Tests.Protection;

public class IngressGuardTests
{
    private static readonly IPAddress Caller = IPAddress.Parse("198.51.100.20");

    [Test]
    public void BeyondTheUnverifiedCap_NewRequestsAreOverloaded_UntilASlotIsGivenBack()
    {
        using var guard = Create(new ProtectionOptions { MaxConcurrentUnverified = 2 });

        using var first = guard.Admit(Caller);
        using var second = guard.Admit(Caller);
        using var third = guard.Admit(Caller);
        first.Dispose();
        first.Dispose();
        using var fourth = guard.Admit(Caller);
        using var fifth = guard.Admit(Caller);

        Assert.Multiple(() =>
        {
            Assert.That(second.Verdict, Is.EqualTo(IngressVerdict.Admitted));
            Assert.That(third.Verdict, Is.EqualTo(IngressVerdict.Overloaded));
            Assert.That(third.RetryAfter, Is.GreaterThan(TimeSpan.Zero));
            Assert.That(fourth.Verdict, Is.EqualTo(IngressVerdict.Admitted), "a slot given back (twice: no double release) admits one more");
            Assert.That(fifth.Verdict, Is.EqualTo(IngressVerdict.Overloaded));
        });
    }

    [Test]
    public void ALimitedAddress_IsRefusedWithoutTakingASlot()
    {
        using var guard = Create(new ProtectionOptions { MaxConcurrentUnverified = 1, FailureThreshold = 1 });
        guard.RecordFailure(Caller);

        using var limited = guard.Admit(Caller);
        using var other = guard.Admit(IPAddress.Parse("198.51.100.21"));

        Assert.That(limited.Verdict, Is.EqualTo(IngressVerdict.RateLimited));
        Assert.That(other.Verdict, Is.EqualTo(IngressVerdict.Admitted), "the one slot is still free for someone else");
    }

    private static IngressGuard Create(ProtectionOptions options)
    {
        var wrapped = Options.Create(options);
        return new IngressGuard(wrapped, new SuspectAddresses(wrapped, new FakeTimeProvider(), NullLogger<SuspectAddresses>.Instance));
    }
}
