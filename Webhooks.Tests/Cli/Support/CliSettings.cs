using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Cli.Support;

/// <summary>
/// The settings a CLI run under test reads, as the services' variables would give them: the test's
/// own schema, processor queue (so its own dead-letter queue) and event exchange.
/// </summary>
public sealed record CliSettings(string Postgres, string QueueName, string Exchange)
{
    public string ErrorQueueName => QueueName + "_error";

    public IReadOnlyDictionary<string, string?> Extra { get; init; } = new Dictionary<string, string?>();

    public static CliSettings ForSchema(string schema, string? queueName = null, string? exchange = null) => new(
        TestSchema.ConnectionString(TestEnvironment.Postgres, schema),
        queueName ?? TestEnvironment.UniqueName("cli-processor"),
        exchange ?? TestEnvironment.UniqueName("cli-events"));

    public Dictionary<string, string?> ToConfiguration()
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:Postgres"] = Postgres,
            ["ConnectionStrings:RabbitMq"] = TestEnvironment.RabbitMq,
            ["Broker:EventExchange"] = Exchange,
            ["Processor:QueueName"] = QueueName,
        };
        foreach (var (key, value) in Extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>The same settings as environment variables, for the real <c>./webhooks</c> script.</summary>
    public Dictionary<string, string?> ToEnvironment() =>
        ToConfiguration().ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
}
