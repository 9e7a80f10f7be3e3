using Webhooks.Infrastructure.Database;

namespace Webhooks.Processor.Health;

public static class HealthEndpoints
{
    public const string ReadyTag = "processor-ready";

    /// <summary>
    /// PostgreSQL here; the bus check is MassTransit's own (degraded without its broker, which is not
    /// ready), tagged ready in <c>AddProcessorMessaging</c>.
    /// </summary>
    public static IServiceCollection AddProcessorHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: [ReadyTag]);
        return services;
    }

    /// <summary><c>/health/live</c>: the process runs. <c>/health/ready</c>: PostgreSQL and RabbitMQ answer.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints) =>
        Webhooks.Infrastructure.Health.HealthEndpointRouteBuilderExtensions.MapHealthEndpoints(endpoints, ReadyTag);
}
