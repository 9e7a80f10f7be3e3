using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
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
/// variables apply); a Prometheus <c>/metrics</c> endpoint always; console logs one line per entry
/// with a UTC ISO 8601 timestamp (<c>Logging__Console__FormatterName=json</c> for JSON lines).
/// </summary>
public static class TelemetryExtensions
{
    // Sortable, unambiguous and the same in every process and log store.
    private const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

    public static WebApplicationBuilder AddWebhooksTelemetry(this WebApplicationBuilder builder, string serviceName, string sourceAndMeterName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddConsoleLogFormat(builder.Services);

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
                    .AddMeter(Reconciliation.ReconciliationTelemetry.MeterName)
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

    /// <summary>
    /// Every console line starts with its UTC time, and an entry is one line (the simple format's
    /// multi-line layout, and an exception's stack trace below Debug, would make lines without one).
    /// </summary>
    public static void AddConsoleLogFormat(IServiceCollection services)
    {
        // Without a formatter name the console logger rebuilds the simple format's options from its
        // own deprecated settings and drops these; "json" from Logging__Console__FormatterName stays.
        services.Configure<ConsoleLoggerOptions>(options => options.FormatterName ??= ConsoleFormatterNames.Simple);
        services.Configure<SimpleConsoleFormatterOptions>(options =>
        {
            options.SingleLine = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = TimestampFormat + " ";
        });
        services.Configure<JsonConsoleFormatterOptions>(options =>
        {
            options.UseUtcTimestamp = true;
            options.TimestampFormat = TimestampFormat;
        });
        OneLineExceptionLoggerFactory.Register(services);
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
