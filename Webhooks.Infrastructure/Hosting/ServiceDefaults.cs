using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Webhooks.Infrastructure.Database;
using Webhooks.Infrastructure.Health;
using Webhooks.Infrastructure.Telemetry;

namespace Webhooks.Infrastructure.Hosting;

/// <summary>
/// What every service has, in one call each (as eShop's ServiceDefaults): settings that do not parse
/// stop the process at start, telemetry (logs, traces, metrics), the clock, problem details, and the
/// health checks with PostgreSQL among the ready ones; then the health and metrics routes.
/// </summary>
public static class ServiceDefaults
{
    /// <summary>The tag of the checks <c>/health/ready</c> runs; a service adds its own (the processor, its bus).</summary>
    public const string ReadyTag = "ready";

    /// <param name="builder">The service's builder.</param>
    /// <param name="serviceName">The service's name in traces and metrics, e.g. <c>webhooks-receiver</c>.</param>
    /// <param name="sourceAndMeterName">Its own activity source and meter.</param>
    /// <param name="settings">The assembly whose options classes name the service's settings.</param>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName, string sourceAndMeterName, Assembly settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Before anything binds them: a value that does not parse stops the process naming the variable.
        SettingValues.ThrowIfUnreadable(builder.Configuration, settings);
        builder.AddWebhooksTelemetry(serviceName, sourceAndMeterName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: [ReadyTag]);
        return builder;
    }

    /// <summary><c>/health/live</c>, <c>/health/ready</c> (every check tagged <see cref="ReadyTag"/>) and <c>/metrics</c>.</summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.MapHealthEndpoints(ReadyTag);
        app.MapMetricsEndpoint();
        return app;
    }
}
