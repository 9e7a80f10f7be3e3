namespace Webhooks.Tests.Cli.Support;

/// <summary>A message taken from a queue by a test: id, headers as text, the redelivered flag and the body.</summary>
public sealed record QueuedMessage(string? MessageId, IReadOnlyDictionary<string, string?> Headers, bool Redelivered, byte[] Body);
