using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;

namespace Webhooks.Infrastructure.Health;

/// <summary>The health routes both services serve; each service decides which checks carry its ready tag.</summary>
public static class HealthEndpointRouteBuilderExtensions
{
    /// <summary><c>/health/live</c>: the process runs (no check). <c>/health/ready</c>: every check tagged <paramref name="readyTag"/> passes.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints, string readyTag)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(readyTag) });
        return endpoints;
    }
}
