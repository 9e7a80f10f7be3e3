using System.Text.Json;
using System.Text.RegularExpressions;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Deploy;

/// <summary>
/// The Grafana dashboard in <c>deploy/grafana/</c> queries only metrics the services export: every
/// metric name in its queries is read from the real <c>/metrics</c> of a running receiver and processor.
/// </summary>
public partial class DashboardTests
{
    private static readonly string DashboardFile = Path.Combine(DeployArtefactTests.RepositoryRoot(), "deploy", "grafana", "webhooks-dashboard.json");

    private static readonly HashSet<string> PromQlWords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset", "le",
    };

    [Test]
    public async Task EveryMetricTheDashboardQueries_IsOneTheServicesExport()
    {
        var queried = Queries().SelectMany(MetricNames).ToHashSet(StringComparer.Ordinal);
        var exported = await ExportedNamesAsync();

        Assert.That(queried, Is.Not.Empty);
        Assert.That(
            queried.Where(name => !exported.Contains(name)), Is.Empty, "queried but exported by neither service:\n" + string.Join('\n', exported.Order()));
        Assert.That(queried, Is.SupersetOf(new[]
        {
            "webhooks_queue_depth", "webhooks_dependency_up", "webhooks_processing_oldest_unprocessed_age_seconds", "webhooks_orders_stuck",
            "webhooks_events_received_total", "webhooks_outbox_backlog",
        }), "the dashboard shows what an operator needs first");
    }

    [Test]
    public void TheNameCheck_FindsAMisspeltMetric()
    {
        Assert.That(
            MetricNames("sum by (outcome) (rate(webhooks_events_recieved_total{outcome=\"accepted\"}[5m]))"),
            Is.EqualTo(new[] { "webhooks_events_recieved_total" }));
        Assert.That(
            MetricNames("histogram_quantile(0.99, sum by (le) (rate(webhooks_ack_duration_seconds_bucket[5m])))"),
            Is.EqualTo(new[] { "webhooks_ack_duration_seconds_bucket" }));
    }

    private static List<string> Queries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(DashboardFile));
        var expressions = new List<string>();
        void Walk(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "expr" && property.Value.ValueKind == JsonValueKind.String)
                    {
                        expressions.Add(property.Value.GetString()!);
                    }

                    Walk(property.Value);
                }
            }
            else if (element.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item);
                }
            }
        }

        Walk(dashboard.RootElement);
        return expressions;
    }

    /// <summary>The metric names of a PromQL expression: identifiers that are not functions, keywords, labels or durations.</summary>
    private static List<string> MetricNames(string expression)
    {
        var bare = Grouping().Replace(Ranges().Replace(Matchers().Replace(expression, ""), ""), "");
        return [.. Identifier().Matches(bare)
            .Where(m => !m.Groups["call"].Success)
            .Select(m => m.Groups["name"].Value)
            .Where(n => !PromQlWords.Contains(n))
            .Distinct()];
    }

    /// <summary>Both services running, with traffic enough that every counter and histogram has a sample.</summary>
    private static async Task<HashSet<string>> ExportedNamesAsync()
    {
        await using var schema = await ProcessorSchema.CreateAsync();
        await using var receiver = new ReceiverFactory();
        var fastSampling = new Dictionary<string, string?> { ["Metrics:SampleInterval"] = "00:00:00.200" };
        await using var processor = new ProcessorFactory(schema.ConnectionString, fastSampling, exchange: receiver.Exchange);
        processor.Start();
        using var receiverHttp = receiver.CreateClient();
        using var processorHttp = processor.CreateClient();
        using (await receiverHttp.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(TestEvents.NewEventId())))) { }
        using (await receiverHttp.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(TestEvents.NewEventId()), "whsec_wrong"))) { }
        await processor.PublishAsync(TestPayments.Event("payment_intent.created", TestPayments.NewOrderId()));

        MetricsScrape? fromReceiver = null;
        MetricsScrape? fromProcessor = null;
        var complete = await Eventually.TrueAsync(async () =>
        {
            fromReceiver = await MetricsScrape.ReadAsync(receiverHttp);
            fromProcessor = await MetricsScrape.ReadAsync(processorHttp);
            return fromReceiver.Has("webhooks_events_published_total") && fromReceiver.Has("webhooks_outbox_backlog")
                && fromProcessor.Has("webhooks_events_processed_total") && fromProcessor.Has("webhooks_processing_oldest_unprocessed_age_seconds");
        }, TimeSpan.FromSeconds(60));
        Assert.That(complete, Is.True, $"both services' metrics:\n{fromReceiver?.Text}\n{fromProcessor?.Text}");
        return [.. fromReceiver!.Names, .. fromProcessor!.Names];
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(by|without|on|ignoring)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();
}
