namespace Webhooks.Tests.Infrastructure;

public sealed record OrderRow(string OrderId, string Status, DateTime? PendingSince, DateTime CreatedAt, DateTime UpdatedAt, string LastEventId);
