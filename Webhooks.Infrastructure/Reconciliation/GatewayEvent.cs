namespace Webhooks.Infrastructure.Reconciliation;

/// <summary>An event as the gateway's API lists it: its id, type, when the gateway made it, and its JSON exactly as the API gave it.</summary>
public sealed record GatewayEvent(string Id, string? Type, DateTimeOffset Created, string RawJson);
