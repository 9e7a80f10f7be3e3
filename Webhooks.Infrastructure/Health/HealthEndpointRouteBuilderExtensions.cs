using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Webhooks.Infrastructure.Health;

/// <summary>The health routes both services serve; each service decides which checks carry its ready tag.</summary>
public static class HealthEndpointRouteBuilderExtensions
{
    /// <summary>
    /// <c>/health/live</c>: the process runs (no check). <c>/health/ready</c>: every check tagged
    /// <paramref name="readyTag"/> passes. Degraded is not ready: MassTransit reports a bus that lost
    /// its broker as degraded, and a process that cannot do its work must be taken out of rotation.
    /// </summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints, string readyTag)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(readyTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        return endpoints;
    }
}
