using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Webhooks.Infrastructure.Telemetry;

/// <summary>
/// The one place where a service's traces, metrics and logs are wired, the same for receiver and
/// processor: ASP.NET Core, Npgsql and MassTransit instrumentation plus the service's own source and
/// meter; OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (all standard <c>OTEL_*</c>
/// variables apply); a Prometheus <c>/metrics</c> endpoint always.
/// </summary>
public static class TelemetryExtensions
{
    public static WebApplicationBuilder AddWebhooksTelemetry(this WebApplicationBuilder builder, string serviceName, string sourceAndMeterName)
    {
        var exportOtlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(sourceAndMeterName)
                    .AddSource(DiagnosticHeaders.DefaultListenerName)
                    .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsPlumbing(context.Request.Path))
                    .AddNpgsql();
                if (exportOtlp)
                {
                    tracing.AddOtlpExporter();
                }
                else
                {
                    // Nowhere to send spans: record none. Context still propagates (an event's stored
                    // trace parent and the broker hop keep working), and a test or an operator who
                    // adds an exporter sets a sampler with it.
                    tracing.SetSampler(new AlwaysOffSampler());
                }
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(sourceAndMeterName)
                    .AddMeter(InstrumentationOptions.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (exportOtlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        if (exportOtlp)
        {
            telemetry.WithLogging(logging => logging.AddOtlpExporter());
        }

        return builder;
    }

    /// <summary><c>GET /metrics</c> in Prometheus' text format.</summary>
    public static WebApplication MapMetricsEndpoint(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static bool IsPlumbing(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics");
}
