using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Webhooks.Tests.Infrastructure;

/// <summary>One read of a service's <c>/metrics</c> (Prometheus text), with the samples by name and labels.</summary>
public sealed partial class MetricsScrape
{
    private readonly List<(string Name, string Labels, double Value)> _samples;

    private MetricsScrape(string text)
    {
        Text = text;
        _samples = [.. SampleLine().Matches(text).Select(m => (
            m.Groups["name"].Value,
            m.Groups["labels"].Value,
            m.Groups["value"].Value == "NaN" ? double.NaN : double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture)))];
    }

    public string Text { get; }

    /// <summary>Every metric name with at least one sample.</summary>
    public IReadOnlySet<string> Names => _samples.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

    public static async Task<MetricsScrape> ReadAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return new MetricsScrape(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The value of the one sample of <paramref name="metric"/> whose labels contain <paramref name="labels"/>; null when there is none.</summary>
    public double? Value(string metric, string labels = "") =>
        _samples.Where(s => s.Name == metric && s.Labels.Contains(labels, StringComparison.Ordinal)).Select(s => (double?)s.Value).SingleOrDefault();

    /// <summary>Sum of every sample of <paramref name="metric"/> whose labels contain <paramref name="labels"/> (0 if none).</summary>
    public double Sum(string metric, string labels = "") =>
        _samples.Where(s => s.Name == metric && s.Labels.Contains(labels, StringComparison.Ordinal)).Sum(s => s.Value);

    public bool Has(string metric, string labels = "") =>
        _samples.Any(s => s.Name == metric && s.Labels.Contains(labels, StringComparison.Ordinal));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+|NaN|[-+]Inf)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
