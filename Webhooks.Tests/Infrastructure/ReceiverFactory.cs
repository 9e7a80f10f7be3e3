using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// The real receiver (its Program, pipeline and hosted services) on the real PostgreSQL and RabbitMQ,
/// with test providers and an event exchange of its own so that tests do not see each other's messages.
/// </summary>
public sealed class ReceiverFactory : WebApplicationFactory<Program>
{
    public const string StripeSecret = "whsec_test_stripe_secret_0123456789abcdef";
    public const string StripeSecondSecret = "whsec_test_stripe_rotated_secret_fedcba9876";
    public const string StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    public const string HmacSecret = "test-hmac-secret-0f1e2d3c4b5a";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    private readonly bool _ownsSchema;

    /// <param name="settings">Settings over the test defaults.</param>
    /// <param name="services">Service replacements.</param>
    /// <param name="sameStoreAs">Another receiver whose schema and exchange this one shares, as a second instance would.</param>
    public ReceiverFactory(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, ReceiverFactory? sameStoreAs = null)
    {
        Exchange = sameStoreAs?.Exchange ?? TestEnvironment.UniqueName("test-events");
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:Postgres"] = TestEnvironment.Postgres,
            ["ConnectionStrings:RabbitMq"] = TestEnvironment.RabbitMq,
            // Settings override appsettings' "Information", so that tests can assert on debug lines too.
            ["Logging:LogLevel:Default"] = "Debug",
            ["Broker:EventExchange"] = Exchange,
            ["Webhooks:Providers:stripe:Scheme"] = "stripe",
            ["Webhooks:Providers:stripe:Secrets:0"] = StripeSecret,
            ["Webhooks:Providers:stripe:Secrets:1"] = StripeSecondSecret,
            ["Webhooks:Providers:standard:Scheme"] = "standard",
            ["Webhooks:Providers:standard:Secrets:0"] = StandardSecret,
            ["Webhooks:Providers:github:Scheme"] = "hmac",
            ["Webhooks:Providers:github:Secrets:0"] = HmacSecret,
            ["Webhooks:Providers:github:SignatureHeader"] = "X-Hub-Signature-256",
            ["Webhooks:Providers:github:SignaturePrefix"] = "sha256=",
            ["Webhooks:Providers:github:IdHeader"] = "X-GitHub-Delivery",
            ["Webhooks:Providers:shop:Scheme"] = "hmac",
            ["Webhooks:Providers:shop:Secrets:0"] = HmacSecret,
            ["Webhooks:Providers:shop:SignatureHeader"] = "X-Signature",
            ["Webhooks:Providers:shop:Encoding"] = "base64",
            ["Webhooks:Providers:shop:IdField"] = "data.id",
            ["Outbox:PollInterval"] = "00:00:00.200",
            // Short, so that tests of broker outages see the relay take over within seconds.
            ["Outbox:PublishTimeout"] = "00:00:03",
            ["Outbox:FastLaneLease"] = "00:00:04",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        _services = services;

        // Each receiver gets a schema of its own: its migrations, events and outbox are invisible to
        // every other test, so no relay publishes another test's rows.
        _ownsSchema = sameStoreAs is null;
        Schema = sameStoreAs?.Schema ?? TestSchema.Create();
        _settings["ConnectionStrings:Postgres"] = TestSchema.ConnectionString(_settings["ConnectionStrings:Postgres"]!, Schema);
        // Straight to PostgreSQL, never through a test proxy that may be cutting connections.
        Store = new StoreQueries(TestSchema.ConnectionString(TestEnvironment.Postgres, Schema));
    }

    public string Schema { get; }

    public StoreQueries Store { get; }

    public string Exchange { get; }

    public CapturedLogs Logs { get; } = new();

    /// <summary>Every configured secret, for the check that none reaches a log.</summary>
    public static IReadOnlyList<string> Secrets { get; } = [StripeSecret, StripeSecondSecret, StandardSecret, HmacSecret];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsSchema)
        {
            TestSchema.Drop(Schema);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Not "Development": the development appsettings would add providers of their own.
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddProvider(Logs);
        });
        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }
}
