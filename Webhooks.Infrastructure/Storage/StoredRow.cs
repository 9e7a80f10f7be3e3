namespace Webhooks.Infrastructure.Storage;

/// <summary>What the commit assigned to a newly stored event.</summary>
public readonly record struct StoredRow(long Id, Guid MessageId);
