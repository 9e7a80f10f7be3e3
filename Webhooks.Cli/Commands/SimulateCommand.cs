using System.CommandLine;
using Webhooks.Cli.Output;
using Webhooks.Cli.Simulation;

namespace Webhooks.Cli.Commands;

/// <summary><c>simulate</c>: a payment gateway against a running receiver.</summary>
internal static class SimulateCommand
{
    public static Command Create(CliRun run)
    {
        var defaults = new SimulationSettings();
        var url = new Option<string>("--url")
        {
            Description = "The receiver's address; /webhooks/<provider> is added.",
            DefaultValueFactory = _ => SimulateHandler.DefaultUrl,
            HelpName = "URL",
        };
        var provider = new Option<string>("--provider") { Description = "The provider to post as.", DefaultValueFactory = _ => "stripe", HelpName = "P" };
        var scheme = new Option<string?>("--scheme")
        {
            Description = "stripe, standard or hmac; default: the provider's Webhooks__Providers__<P>__Scheme, else stripe.",
            HelpName = "S",
        };
        var secret = new Option<string?>("--secret")
        {
            Description = "The signing secret; default: the provider's Webhooks__Providers__<P>__Secrets__0 (the development secrets when none is set).",
            HelpName = "SECRET",
        };
        var orders = new Option<int>("--orders")
        {
            Description = "How many order lifecycles to send.",
            DefaultValueFactory = _ => defaults.Orders,
            HelpName = "N",
        };
        var rate = new Option<double>("--rate")
        {
            Description = "Requests per second, retries and copies included; 0: as fast as the receiver answers.",
            DefaultValueFactory = _ => defaults.Rate,
            HelpName = "R",
        };
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Orders sent at the same time.",
            DefaultValueFactory = _ => defaults.Concurrency,
            HelpName = "C",
        };
        var duplicates = new Option<double>("--duplicates")
        {
            Description = "Probability that an event is sent a second time, later.",
            DefaultValueFactory = _ => defaults.Duplicates,
            HelpName = "P",
        };
        var shuffle = new Option<bool>("--shuffle")
        {
            Description = "Send each order's events in a random order (default; --shuffle false: in lifecycle order).",
            DefaultValueFactory = _ => defaults.Shuffle,
            Arity = ArgumentArity.ZeroOrOne,
        };
        var lose = new Option<double>("--lose")
        {
            Description = "Share of the orders whose success events are never sent: they stay pending, and the stuck-order alert names them.",
            DefaultValueFactory = _ => defaults.Lose,
            HelpName = "P",
        };
        var disputes = new Option<double>("--disputes")
        {
            Description = "Share of the paid orders whose customer opens a dispute (a chargeback): it then stays open, is won or is lost.",
            DefaultValueFactory = _ => defaults.Disputes,
            HelpName = "P",
        };
        var poison = new Option<int>("--poison")
        {
            Description = "Also send this many payment events whose data.object is not an object: the processor dead-letters them.",
            DefaultValueFactory = _ => defaults.Poison,
            HelpName = "N",
        };
        var seed = new Option<int?>("--seed")
        {
            Description = "Make the same choices again (lifecycles, order, copies, losses); ids are new on every run.",
            HelpName = "S",
        };
        var maxRetries = new Option<int>("--max-retries")
        {
            Description = "Retries of a delivery answered with a non-2xx or not at all, before giving up.",
            DefaultValueFactory = _ => defaults.MaxRetries,
            HelpName = "N",
        };
        var retryDelay = new Option<string?>("--retry-delay")
        {
            Description = $"Delay before the first retry, doubled for each next one (0.5s, 2s, 00:00:01; default {defaults.RetryDelay.TotalSeconds:0.##}s).",
            HelpName = "D",
        };
        var reportFile = new Option<string?>("--report-file")
        {
            Description = "Also write a JSON record of the run to this file: every delivery's event id and final answer, and each order's expected status.",
            HelpName = "PATH",
        };
        var json = CommonOptions.Json();
        var command = new Command(
            "simulate",
            "Act as the payment gateway against a running receiver: real-shaped Stripe events built from Stripe's fixtures, signed with the "
            + "provider's scheme and secret, full order lifecycles (created → succeeded, → failed → succeeded, → succeeded → refunded in "
            + "full or in part, → failed, → canceled) at a chosen rate and concurrency, with a gateway's habits: charges and disputes that "
            + "name only their payment intent, copies sent twice, events of an order out of order, retries with growing delays on a non-2xx "
            + "answer, with --disputes chargebacks on paid orders, and with --lose success events that never come, so that those orders stay "
            + "pending and are alerted. Ends with a summary: sent, accepted, duplicates, retried, given up, and the status and dispute each "
            + "order should end in. Exit 0 when nothing was given up, else 1.")
        {
            url,
            provider,
            scheme,
            secret,
            orders,
            rate,
            concurrency,
            duplicates,
            shuffle,
            lose,
            disputes,
            poison,
            seed,
            maxRetries,
            retryDelay,
            reportFile,
            json,
        };
        command.SetAction((parse, ct) =>
        {
            var settings = new SimulationSettings
            {
                Orders = parse.GetValue(orders),
                Rate = parse.GetValue(rate),
                Concurrency = parse.GetValue(concurrency),
                Duplicates = parse.GetValue(duplicates),
                Shuffle = parse.GetValue(shuffle),
                Lose = parse.GetValue(lose),
                Disputes = parse.GetValue(disputes),
                Poison = parse.GetValue(poison),
                Seed = parse.GetValue(seed),
                MaxRetries = parse.GetValue(maxRetries),
                RetryDelay = parse.GetValue(retryDelay) is { } delay ? Durations.ParseSpanOrZero(delay, "--retry-delay") : defaults.RetryDelay,
                ReportFile = parse.GetValue(reportFile),
            };
            return run.Get<SimulateHandler>().RunAsync(
                parse.GetValue(url)!, parse.GetValue(provider)!, parse.GetValue(scheme), parse.GetValue(secret), settings, parse.GetValue(json), ct);
        });
        return command;
    }
}
