using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Webhooks.Receiver.Protection;

/// <summary>
/// Addresses that recently failed verification, in a map of bounded size. Clean addresses are not in
/// it and are never limited; an address with <see cref="ProtectionOptions.FailureThreshold"/> recent
/// failures is held to a strict token bucket until a whole window passes without a failure.
/// </summary>
public sealed partial class SuspectAddresses
{
    // A full map is swept for idle entries at most this often, so a spray of new addresses cannot
    // turn every request into a scan of the whole map.
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<IPAddress, SuspectAddress> _entries = new();
    private readonly ProtectionOptions _options;
    private readonly IPNetwork[] _exempt;
    private readonly TimeProvider _clock;
    private readonly ILogger<SuspectAddresses> _logger;
    private int _count;
    private long _lastSweep;

    public SuspectAddresses(IOptions<ProtectionOptions> options, TimeProvider clock, ILogger<SuspectAddresses> logger)
    {
        _options = options.Value;
        _exempt = [.. _options.ExemptNetworks.Select(n => IPNetwork.Parse(n))];
        _clock = clock;
        _logger = logger;
        _lastSweep = clock.GetTimestamp() - (long)(SweepInterval.TotalSeconds * clock.TimestampFrequency);
    }

    /// <summary>Addresses tracked now; never much above <see cref="ProtectionOptions.MaxTrackedAddresses"/>.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>False, with the time until it may try again, when the address is limited and out of tokens.</summary>
    public bool TryAdmit(IPAddress? address, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (address is null || IsExempt(address) || !_entries.TryGetValue(ClientAddress.KeyOf(address), out var entry))
        {
            return true;
        }

        return entry.TryAdmit(_clock.GetTimestamp(), _clock, _options, out retryAfter);
    }

    /// <summary>A request from this address failed in a way only a caller without the secret fails.</summary>
    public void RecordFailure(IPAddress? address)
    {
        if (address is null || IsExempt(address))
        {
            return;
        }

        var key = ClientAddress.KeyOf(address);
        var now = _clock.GetTimestamp();
        if (!_entries.TryGetValue(key, out var entry))
        {
            if (Count >= _options.MaxTrackedAddresses && !TrySweep(now))
            {
                // Full of addresses that failed within the window: this one goes untracked. The cap on
                // concurrent unverified requests still bounds what it can cost.
                return;
            }

            var created = new SuspectAddress(now);
            entry = _entries.GetOrAdd(key, created);
            if (ReferenceEquals(entry, created))
            {
                Interlocked.Increment(ref _count);
            }
        }

        if (entry.RecordFailure(now, _clock, _options))
        {
            LogLimited(key, _options.FailureThreshold, _options.FailureWindow, _options.LimitedRequestsPerSecond);
        }
    }

    private bool IsExempt(IPAddress address)
    {
        if (_exempt.Length == 0)
        {
            return false;
        }

        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _exempt.Any(n => n.Contains(plain));
    }

    /// <summary>Drops idle entries; true when there is room afterwards.</summary>
    private bool TrySweep(long now)
    {
        var last = Volatile.Read(ref _lastSweep);
        if (_clock.GetElapsedTime(last, now) < SweepInterval || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return Count < _options.MaxTrackedAddresses;
        }

        foreach (var (key, entry) in _entries)
        {
            if (entry.IsIdle(now, _clock, _options.FailureWindow) && _entries.TryRemove(key, out _))
            {
                Interlocked.Decrement(ref _count);
            }
        }

        var room = Count < _options.MaxTrackedAddresses;
        if (!room)
        {
            LogFull(_options.MaxTrackedAddresses);
        }

        return room;
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Address {Address} failed {Failures} requests within {Window} and is now limited to {PerSecond} requests a second")]
    private partial void LogLimited(IPAddress address, int failures, TimeSpan window, double perSecond);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "All {Capacity} tracked addresses failed recently; "
            + "new failing addresses go untracked until some are idle (Protection__MaxTrackedAddresses)")]
    private partial void LogFull(int capacity);
}
