using Webhooks.Infrastructure.Database;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Webhooks.Receiver.Health;

public static class HealthEndpoints
{
    public const string ReadyTag = "receiver-ready";

    public static IServiceCollection AddReceiverHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: [ReadyTag]);
        return services;
    }

    /// <summary><c>/health/live</c>: the process runs. <c>/health/ready</c>: PostgreSQL answers (the broker is not needed to accept).</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return endpoints;
    }
}
