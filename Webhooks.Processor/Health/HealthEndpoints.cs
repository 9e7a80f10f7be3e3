using Webhooks.Infrastructure.Database;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Webhooks.Processor.Health;

public static class HealthEndpoints
{
    public const string ReadyTag = "processor-ready";

    /// <summary>PostgreSQL here; the bus check is MassTransit's own, tagged ready in <c>AddProcessorMessaging</c>.</summary>
    public static IServiceCollection AddProcessorHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: [ReadyTag]);
        return services;
    }

    /// <summary><c>/health/live</c>: the process runs. <c>/health/ready</c>: PostgreSQL and RabbitMQ answer.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return endpoints;
    }
}
