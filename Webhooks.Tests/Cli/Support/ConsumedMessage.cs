namespace Webhooks.Tests.Cli.Support;

/// <summary>A message as the consumer saw it: id, headers and the event it carried.</summary>
public sealed record ConsumedMessage(string? MessageId, IReadOnlyDictionary<string, object?> Headers, string EventId, string? EventType);
