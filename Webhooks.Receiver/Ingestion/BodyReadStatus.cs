namespace Webhooks.Receiver.Ingestion;

public enum BodyReadStatus
{
    /// <summary>The whole body, within the limit and in time.</summary>
    Complete,

    /// <summary>Over the limit, declared or counted (413).</summary>
    TooLarge,

    /// <summary>Not all there within the body timeout, or trickling slower than Kestrel's minimum rate (408).</summary>
    TimedOut,

    /// <summary>Broken framing, such as a bad chunk size (400).</summary>
    Malformed,

    /// <summary>The client went away; there is no one to answer.</summary>
    Aborted,
}
