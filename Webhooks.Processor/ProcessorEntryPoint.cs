namespace Webhooks.Processor;

/// <summary>
/// A public type of the processor's assembly for <c>WebApplicationFactory&lt;ProcessorEntryPoint&gt;</c>.
/// The processor's own <c>Program</c> stays internal so that it never clashes with the receiver's
/// public <c>Program</c> in a project that references both.
/// </summary>
public sealed class ProcessorEntryPoint
{
    /// <summary>Where the processor listens in Development when no URL is configured.</summary>
    public const string DevelopmentUrl = "http://127.0.0.1:5081";

    private ProcessorEntryPoint()
    {
    }
}
