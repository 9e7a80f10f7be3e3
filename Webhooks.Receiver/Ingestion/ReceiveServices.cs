using Microsoft.Extensions.Options;
using Webhooks.Receiver.Configuration;
using Webhooks.Receiver.Protection;
using Webhooks.Receiver.Storage;
using Webhooks.Receiver.Telemetry;

namespace Webhooks.Receiver.Ingestion;

/// <summary>What the receive endpoint works with, taken as one <c>[AsParameters]</c> record (as eShop's <c>OrderServices</c>).</summary>
public sealed record ReceiveServices(
    WebhookProviderRegistry Providers,
    IngressGuard Guard,
    GroupCommitEventWriter Writer,
    IOptions<WebhooksOptions> Options,
    IOptions<ProtectionOptions> Protection,
    TimeProvider Clock,
    ReceiverTelemetry Telemetry,
    ILoggerFactory LoggerFactory);
