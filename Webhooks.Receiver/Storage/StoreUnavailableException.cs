namespace Webhooks.Receiver.Storage;

/// <summary>The event could not be committed in time: the caller must answer 503, never 200.</summary>
public sealed class StoreUnavailableException(string reason, Exception? inner = null) : Exception(reason, inner);
