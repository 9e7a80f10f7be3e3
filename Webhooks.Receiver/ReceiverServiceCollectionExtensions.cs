using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Infrastructure.Storage;
using Webhooks.Receiver.Configuration;
using Webhooks.Receiver.Ingestion;
using Webhooks.Receiver.Outbox;
using Webhooks.Receiver.Protection;
using Webhooks.Receiver.Storage;
using Webhooks.Receiver.Telemetry;

namespace Webhooks.Receiver;

/// <summary>One <c>AddX()</c> per concern of the receiver; Program.cs lists them.</summary>
public static class ReceiverServiceCollectionExtensions
{
    public static IServiceCollection AddWebhookProviders(this IServiceCollection services)
    {
        services.AddOptions<WebhooksOptions>().BindConfiguration(WebhooksOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebhooksOptions>, WebhooksOptionsValidator>();
        services.AddSingleton<WebhookProviderRegistry>();
        return services;
    }

    public static IServiceCollection AddReceiverTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<ReceiverTelemetry>();
        services.AddHostedService<OutboxSampler>();
        return services;
    }

    public static IServiceCollection AddEventStore(this IServiceCollection services)
    {
        services.AddSingleton<EventBatchInserter>();
        services.AddSingleton<GroupCommitEventWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<GroupCommitEventWriter>());
        return services;
    }

    public static IServiceCollection AddOutboxRelay(this IServiceCollection services)
    {
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName)
            .Validate(o => o.BatchSize is >= 1 and <= 5000, "Outbox__BatchSize must be between 1 and 5000.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Outbox__PollInterval must be above zero.")
            .Validate(o => o.PublishTimeout > TimeSpan.Zero, "Outbox__PublishTimeout must be above zero.")
            .Validate(o => o.FastLaneLease > o.PublishTimeout, "Outbox__FastLaneLease must be longer than Outbox__PublishTimeout.")
            .Validate(
                o => o.FastLaneCapacity >= 1 && o.FastLaneConcurrency is >= 1 and <= 16,
                "Outbox__FastLaneCapacity must be positive and Outbox__FastLaneConcurrency 1 to 16.")
            .ValidateOnStart();
        services.AddOptions<BrokerOptions>().BindConfiguration(BrokerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PublishChannels>();
        services.AddSingleton<EventPublisher>();
        services.AddSingleton<OutboxFastLane>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxFastLane>());
        services.AddHostedService<OutboxRelay>();
        return services;
    }

    /// <summary>Kestrel's limits and the guard in front of signature checks, from validated <c>Protection__*</c> settings.</summary>
    public static IServiceCollection AddReceiverProtection(this IServiceCollection services)
    {
        services.AddOptions<ProtectionOptions>().BindConfiguration(ProtectionOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProtectionOptions>, ProtectionOptionsValidator>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, KestrelLimitsSetup>();
        services.AddSingleton<IConfigureOptions<ForwardedHeadersOptions>, ForwardedHeadersSetup>();
        services.AddSingleton<SuspectAddresses>();
        services.AddSingleton<IngressGuard>();
        return services;
    }
}
