using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Webhooks.Contracts;
using Webhooks.Processor;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// The real processor (its Program, consumer, monitors) on the real PostgreSQL and RabbitMQ, with an
/// event exchange and queue of its own and, usually, a database schema of its own, so that tests do
/// not see each other's messages, orders or alerts.
/// </summary>
public sealed class ProcessorFactory : WebApplicationFactory<ProcessorEntryPoint>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider? _clock;
    private readonly Action<IServiceCollection>? _services;

    public ProcessorFactory(
        string postgres,
        IDictionary<string, string?>? settings = null,
        TimeProvider? clock = null,
        Action<IServiceCollection>? services = null,
        string? exchange = null,
        string? queue = null)
    {
        Exchange = exchange ?? TestEnvironment.UniqueName("test-events");
        QueueName = queue ?? TestEnvironment.UniqueName("test-processor");
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:Postgres"] = postgres,
            ["ConnectionStrings:RabbitMq"] = TestEnvironment.RabbitMq,
            // Settings override appsettings' "Information", so that tests can assert on debug lines too.
            ["Logging:LogLevel:Default"] = "Debug",
            ["Broker:EventExchange"] = Exchange,
            ["Processor:QueueName"] = QueueName,
            // Quick rounds and retries so that tests wait seconds, not minutes.
            ["DeadLetterAlerts:DispatchInterval"] = "00:00:00.500",
            ["Slack:RetryDelay"] = "00:00:00.050",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        _clock = clock;
        _services = services;
    }

    public string Exchange { get; }

    public string QueueName { get; }

    public string ErrorQueueName => QueueName + "_error";

    public CapturedLogs Logs { get; } = new();

    /// <summary>Starts the host now (the bus is connected and the queue bound when this returns).</summary>
    public ProcessorFactory Start()
    {
        _ = Services;
        return this;
    }

    /// <summary>Publishes through the processor's own bus to the test's event exchange, as the receiver's relay would.</summary>
    public Task PublishAsync(PaymentEventReceived message) =>
        Services.GetRequiredService<IBus>().Publish(message, context => context.Durable = true);

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Not "Development": that would bind a fixed port and read the development settings.
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddProvider(Logs);
        });
        builder.ConfigureServices(services =>
        {
            // Tests publish right after start: wait until the queue is declared and bound.
            services.Configure<MassTransitHostOptions>(options =>
            {
                options.WaitUntilStarted = true;
                options.StartTimeout = TimeSpan.FromSeconds(60);
                options.StopTimeout = TimeSpan.FromSeconds(30);
            });
            if (_clock is not null)
            {
                services.AddSingleton(_clock);
            }

            _services?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        string[] queues = [QueueName, ErrorQueueName, QueueName + "_skipped", QueueName + "-dead-letter-alerts", QueueName + "-dead-letter-alerts_error"];
        // MassTransit binds each queue to an exchange of the same name.
        await BrokerEntities.DeleteAsync(queues, exchanges: [Exchange, Exchange + "--fault", .. queues]);
    }
}
