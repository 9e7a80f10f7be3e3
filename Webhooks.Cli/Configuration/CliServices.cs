using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Webhooks.Cli.Audit;
using Webhooks.Cli.Broker;
using Webhooks.Cli.DeadLetters;
using Webhooks.Cli.Events;
using Webhooks.Cli.Orders;
using Webhooks.Cli.Output;
using Webhooks.Cli.Reconciliation;
using Webhooks.Cli.Simulation;
using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Database;
using Webhooks.Infrastructure.Messaging;
using Webhooks.Infrastructure.Reconciliation;
using Webhooks.Infrastructure.Settings;

namespace Webhooks.Cli.Configuration;

/// <summary>
/// The services of one CLI run, on the same settings as the services read: the settings file beside
/// the dll, then environment variables (<c>ConnectionStrings__Postgres</c>, ...), then the caller's.
/// </summary>
internal static class CliServices
{
    public static ServiceProvider Create(CliEnvironment environment)
    {
        var builder = new ConfigurationBuilder();
        if (environment.SettingsFile is { } file)
        {
            builder.AddJsonFile(file, optional: true, reloadOnChange: false);
        }

        var configuration = builder.AddEnvironmentVariables().AddInMemoryCollection(environment.Settings).Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton(environment);
        services.AddSingleton(environment.TimeProvider);
        // No provider: the CLI speaks in its own sentences; a library's log line would only interleave with them.
        services.AddLogging();
        services.AddConnectionStrings();
        services.AddOptions<BrokerOptions>().BindConfiguration(BrokerOptions.SectionName).ValidateDataAnnotations();
        services.AddOptions<ProcessorOptions>().BindConfiguration(ProcessorOptions.SectionName).ValidateDataAnnotations();
        services.AddOptions<StuckOrdersOptions>().BindConfiguration(StuckOrdersOptions.SectionName).ValidateDataAnnotations();
        services.AddSingleton(sp =>
            DatabaseServiceCollectionExtensions.CreateDataSource(sp.GetRequiredService<IOptions<ConnectionStringsOptions>>().Value.Postgres));
        services.AddSingleton(sp => RabbitMqAddress.Parse(sp.GetRequiredService<IOptions<ConnectionStringsOptions>>().Value.RabbitMq));

        services.AddSingleton<CliOutput>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<BrokerConnector>();
        services.AddSingleton<DeadLetterQueue>();
        services.AddSingleton<DlqListHandler>();
        services.AddSingleton<DlqShowHandler>();
        services.AddSingleton<DlqReplayHandler>();
        services.AddSingleton<DlqPurgeHandler>();
        services.AddSingleton<StoredEventsTable>();
        services.AddSingleton<OrderStoryTable>();
        services.AddGatewayReconciliation();
        services.AddSingleton<EventsListHandler>();
        services.AddSingleton<EventsShowHandler>();
        services.AddSingleton<EventsReplayHandler>();
        services.AddSingleton<OrdersStuckHandler>();
        services.AddSingleton<OrdersShowHandler>();
        services.AddSingleton<ReconcileHandler>();
        services.AddSingleton<SimulateHandler>();
        return services.BuildServiceProvider();
    }

    /// <summary>Reads every setting once, so that a bad one stops the run before anything is done, naming the variable.</summary>
    public static void ValidateSettings(IServiceProvider services)
    {
        SettingValues.ThrowIfUnreadable(services.GetRequiredService<IConfiguration>(), typeof(CliServices).Assembly);
        _ = services.GetRequiredService<IOptions<ConnectionStringsOptions>>().Value;
        _ = services.GetRequiredService<IOptions<BrokerOptions>>().Value;
        _ = services.GetRequiredService<IOptions<ProcessorOptions>>().Value;
        _ = services.GetRequiredService<IOptions<StuckOrdersOptions>>().Value;
        _ = services.GetRequiredService<IOptions<ReconciliationOptions>>().Value;
    }
}
