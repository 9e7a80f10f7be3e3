using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Webhooks.Infrastructure.Storage;

namespace Webhooks.Infrastructure.Reconciliation;

public static class ReconciliationServiceCollectionExtensions
{
    /// <summary>
    /// The validated <c>Reconciliation__*</c> settings, the gateway's client, the pass and the payment-intent
    /// checks (the processor's and the CLI's).
    /// </summary>
    public static IServiceCollection AddGatewayReconciliation(this IServiceCollection services)
    {
        services.AddOptions<ReconciliationOptions>().BindConfiguration(ReconciliationOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReconciliationOptions>, ReconciliationOptionsValidator>());
        services.AddMetrics();
        services.TryAddSingleton<ReconciliationTelemetry>();
        services.TryAddSingleton<EventBatchInserter>();
        services.TryAddSingleton<StripeGateway>();
        services.TryAddSingleton<Reconciler>();
        services.TryAddSingleton<PaymentIntentChecks>();
        services.TryAddSingleton<ReconciliationWake>();
        return services;
    }
}
