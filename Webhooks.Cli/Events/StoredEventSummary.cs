namespace Webhooks.Cli.Events;

/// <summary>One row of <c>events list --json</c>, exactly the contract's fields.</summary>
internal sealed record StoredEventSummary(string Provider, string EventId, string? Type, DateTimeOffset ReceivedAt);
