namespace Webhooks.Receiver.Signatures;

/// <summary>Bounds on the work an unauthenticated request can make us do.</summary>
internal static class SignatureLimits
{
    /// <summary>Real headers carry one signature, two during a rotation; anything far beyond is an attack.</summary>
    public const int MaxSignatures = 16;

    /// <summary>Longest signature header we parse at all.</summary>
    public const int MaxHeaderLength = 4096;

    /// <summary>Digits in a unix timestamp we accept (covers every date up to the year 33658).</summary>
    public const int MaxTimestampDigits = 12;
}
