using Webhooks.Infrastructure.Database;

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
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints) =>
        Webhooks.Infrastructure.Health.HealthEndpointRouteBuilderExtensions.MapHealthEndpoints(endpoints, ReadyTag);
}
