using Webhooks.Receiver.Signatures;

namespace Webhooks.Receiver.Ingestion;

/// <summary>A configured provider, ready to verify: its route name, its verifier and where its key is.</summary>
public sealed record WebhookProvider(string Name, ISignatureVerifier Verifier, EventKeySource KeySource);
