namespace Webhooks.Receiver.Ingestion;

/// <summary>What reading a request body gave: the bytes, or why there are none.</summary>
public readonly record struct BodyRead(BodyReadStatus Status, byte[]? Body)
{
    public static BodyRead Of(byte[] body) => new(BodyReadStatus.Complete, body);

    public static BodyRead Failed(BodyReadStatus status) => new(status, null);
}
