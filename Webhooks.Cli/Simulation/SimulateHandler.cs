using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Webhooks.Cli.Output;

namespace Webhooks.Cli.Simulation;

/// <summary>
/// <c>simulate</c>: acts as the payment gateway against a running receiver, then sums up what was
/// sent and answered and where each order should end. Exit 0 when every delivery got a 2xx, 1 when
/// any was given up (or the receiver took nothing at all), 2 for a command line that cannot be run.
/// </summary>
internal sealed partial class SimulateHandler(IConfiguration configuration, CliEnvironment environment, CliOutput output, TimeProvider timeProvider)
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public async Task<int> RunAsync(
        string url, string provider, string? scheme, string? secret, SimulationSettings settings, bool json, CancellationToken cancellationToken)
    {
        settings.Validate();
        if (!ProviderName().IsMatch(provider))
        {
            throw CliException.Usage($"--provider '{provider}' is not a provider name: letters, digits, '.', '_' and '-' only");
        }

        var endpoint = ReceiverEndpoints.Parse(url, provider);
        var signing = ProviderSigning.Resolve(configuration, provider, scheme, secret);
        var seed = settings.Seed ?? RandomNumberGenerator.GetInt32(1, 1_000_000);
        var plan = SimulationPlanner.Build(settings, seed, new StripeEventFactory(timeProvider, signing.IdField));
        var deliveries = plan.Deliveries.Count();
        var rate = settings.Rate > 0 ? $"{settings.Rate.ToString("0.##", CultureInfo.InvariantCulture)} requests/s" : "no rate limit";
        var poison = settings.Poison > 0 ? $", {settings.Poison} poison" : "";
        output.Note($"Sending {Counts.Of(deliveries, "delivery", "deliveries")} "
            + $"({Counts.Of(plan.Orders.Count, "order")}{poison}) to {endpoint}, {rate}, {settings.Concurrency} at a time, seed {seed}.");

        using var http = CreateHttpClient();
        var sender = new GatewaySender(
            http,
            endpoint,
            new WebhookSigner(signing),
            new RequestPacer(settings.Rate, timeProvider),
            new RetrySchedule(settings.MaxRetries, settings.RetryDelay),
            timeProvider);
        SimulationRun run;
        try
        {
            run = await new SimulationRunner(sender, timeProvider).RunAsync(plan, settings.Concurrency, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new CliException("Stopped before the end: what was sent stays sent");
        }

        if (run.StoppedBy is { } first)
        {
            throw new CliException(NothingTaken(first, endpoint, signing));
        }

        var summary = SimulationSummary.From(plan, run, endpoint, signing);
        if (settings.ReportFile is { } reportFile)
        {
            await SimulationRecord.WriteAsync(reportFile, plan, run, summary, cancellationToken);
        }

        if (json)
        {
            output.Json(summary);
        }
        else
        {
            SimulationReport.Write(output, summary, plan.Orders, settings.MaxRetries + 1);
        }

        if (summary.GivenUp == 0)
        {
            return CliExitCode.Success;
        }

        output.Note($"{Counts.Of(summary.GivenUp, "delivery", "deliveries")} got no 2xx in {Counts.Of(settings.MaxRetries + 1, "attempt")} "
            + $"and {(summary.GivenUp == 1 ? "was" : "were")} given up: "
            + "their events never reached the receiver, so some orders may not end as expected.");
        return CliExitCode.Failure;
    }

    private HttpClient CreateHttpClient() => environment.HttpHandler is { } handler
        ? new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan }
        : new HttpClient { Timeout = Timeout.InfiniteTimeSpan };

    private static string NothingTaken(DeliveryResult first, ReceiverEndpoints endpoint, ProviderSigning signing)
    {
        var answer = first.Last;
        var said = answer.StatusCode is null
            ? $"got no answer ({answer.Detail})"
            : $"answered {answer.StatusCode}{(answer.Detail is null ? "" : $" ({answer.Detail.TrimEnd('.')})")}";
        var hint = answer.StatusCode switch
        {
            401 => $"check --secret and --scheme against the receiver's Webhooks__Providers__{signing.Provider}__* settings",
            404 => $"check --provider and --url: is '{signing.Provider}' configured on this receiver",
            null => "check --url: is the receiver running there",
            _ => "check the receiver's log",
        };
        return $"The receiver at {endpoint} took nothing: the first delivery {said} after {Counts.Of(first.Answers.Count, "attempt")}; {hint}";
    }

    [GeneratedRegex(@"^[A-Za-z0-9._\-]{1,100}$")]
    private static partial Regex ProviderName();
}
