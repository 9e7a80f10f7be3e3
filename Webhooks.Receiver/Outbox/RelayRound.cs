namespace Webhooks.Receiver.Outbox;

/// <summary>What one relay round did: rows confirmed and removed, rows left for a later attempt.</summary>
internal readonly record struct RelayRound(int Published, int Failed);
