using System.Collections.Concurrent;

namespace Webhooks.Tests.Cli.Support;

/// <summary>Shared between a <see cref="FlakyProcessor"/> and its consumer.</summary>
public sealed class FlakyProcessorState
{
    private volatile bool _failing = true;

    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    public ConcurrentQueue<ConsumedMessage> Consumed { get; } = new();
}
