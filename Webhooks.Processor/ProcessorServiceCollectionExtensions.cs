using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Webhooks.Infrastructure.Reconciliation;
using Webhooks.Infrastructure.Settings;
using Webhooks.Processor.DeadLetters;
using Webhooks.Processor.Disputes;
using Webhooks.Processor.Orders;
using Webhooks.Processor.Reconciliation;
using Webhooks.Processor.Retention;
using Webhooks.Processor.Slack;
using Webhooks.Processor.StuckOrders;
using Webhooks.Processor.Telemetry;

namespace Webhooks.Processor;

/// <summary>One <c>AddX()</c> per concern of the processor; Program.cs lists them.</summary>
public static class ProcessorServiceCollectionExtensions
{
    public static IServiceCollection AddOrderProcessing(this IServiceCollection services)
    {
        // One instance is both the applier the consumer calls and the hosted loop that commits batches.
        services.TryAddSingleton<DisputeAlertSignal>();
        services.AddSingleton<GroupCommitOrderApplier>();
        services.AddSingleton<IOrderEventApplier>(sp => sp.GetRequiredService<GroupCommitOrderApplier>());
        services.AddHostedService(sp => sp.GetRequiredService<GroupCommitOrderApplier>());
        return services;
    }

    public static IServiceCollection AddProcessorTelemetry(this IServiceCollection services)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ProcessorTelemetry>();
        services.AddSingleton<BacklogGauges>();
        services.TryAddSingleton<OldestUnprocessedEvent>();
        services.AddHostedService<BacklogSampler>();
        return services;
    }

    public static IServiceCollection AddSlackAlerts(this IServiceCollection services)
    {
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>();
        // The default request logging writes the URL, and a Slack webhook URL is its own secret.
        services.AddHttpClient(SlackWebhookClient.HttpClientName).RemoveAllLoggers();
        services.AddSingleton<SlackWebhookClient>();
        services.AddSingleton<IAlertChannel, AlertChannel>();
        services.AddHostedService<SlackStartupNotice>();
        return services;
    }

    public static IServiceCollection AddDeadLetterAlerts(this IServiceCollection services)
    {
        services.AddOptions<DeadLetterAlertsOptions>().BindConfiguration(DeadLetterAlertsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DeadLetterAlertDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadLetterAlertDispatcher>());
        return services;
    }

    public static IServiceCollection AddDisputeAlerts(this IServiceCollection services)
    {
        services.AddOptions<DisputesOptions>().BindConfiguration(DisputesOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<DisputeAlertSignal>();
        services.AddSingleton<DisputeAlertDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<DisputeAlertDispatcher>());
        return services;
    }

    public static IServiceCollection AddStuckOrderMonitor(this IServiceCollection services)
    {
        services.AddOptions<StuckOrdersOptions>().BindConfiguration(StuckOrdersOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddGatewayReconciliation();
        services.TryAddSingleton<OldestUnprocessedEvent>();
        services.AddSingleton<StuckOrderScanner>();
        services.AddHostedService<StuckOrderMonitor>();
        return services;
    }

    /// <summary>
    /// Reconciliation with the gateway (off unless <c>Reconciliation__Stripe__ApiKey</c> is set; its settings
    /// validated at start either way).
    /// </summary>
    public static IServiceCollection AddGatewayReconciliationJob(this IServiceCollection services)
    {
        services.AddGatewayReconciliation();
        services.AddSingleton<ReconciliationJob>();
        services.AddHostedService(sp => sp.GetRequiredService<ReconciliationJob>());
        return services;
    }

    public static IServiceCollection AddEventRetention(this IServiceCollection services)
    {
        // Validated even while disabled, so that a bad value is found before someone turns it on.
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EventRetention>();
        services.AddHostedService<EventRetentionJob>();
        return services;
    }

    /// <summary>
    /// In Development, listen on <see cref="ProcessorEntryPoint.DevelopmentUrl"/> unless a URL is configured
    /// (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>Urls</c>).
    /// </summary>
    public static WebApplicationBuilder UseDevelopmentUrl(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Environment.IsDevelopment() && string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(ProcessorEntryPoint.DevelopmentUrl);
        }

        return builder;
    }
}
