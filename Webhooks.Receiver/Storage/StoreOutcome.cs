namespace Webhooks.Receiver.Storage;

public enum StoreOutcome
{
    /// <summary>Committed now, with its outbox row.</summary>
    Accepted,

    /// <summary>The same provider and key were already stored; nothing new was written.</summary>
    Duplicate,
}
