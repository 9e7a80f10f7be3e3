using System.Collections.Concurrent;
using Webhooks.Tests.Cli.Support;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Cli;

/// <summary><c>simulate --url a,b</c>: a gateway in front of two receivers, as behind a load balancer.</summary>
public class SimulateReceiversTests
{
    [Test]
    public async Task TwoReceivers_TheAttemptsAlternateBetweenThem_AndEveryEventIsStoredOnce()
    {
        await using var receiver = new ReceiverFactory();
        var hosts = new ConcurrentQueue<string>();
        using var recording = new HostRecorder(receiver.Server.CreateHandler(), hosts);
        var cli = CliSettings.ForSchema(receiver.Schema, exchange: receiver.Exchange);

        var result = await CliRunner.RunWithHttpAsync(cli, recording,
            "simulate", "--url", "http://receiver-a.test,http://receiver-b.test/", "--orders", "10", "--duplicates", "0",
            "--rate", "0", "--concurrency", "1", "--secret", ReceiverFactory.StripeSecret, "--json");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var sent = hosts.ToList();
        Assert.That(sent, Has.Count.EqualTo(result.Json().Count("sent")));
        Assert.That(sent.Where((_, i) => i % 2 == 0), Is.All.EqualTo("receiver-a.test"));
        Assert.That(sent.Where((_, i) => i % 2 == 1), Is.All.EqualTo("receiver-b.test"));
        Assert.That(await receiver.Store.CountAllEventsAsync(), Is.EqualTo(result.Json().Count("events")));
    }

    private sealed class HostRecorder(HttpMessageHandler inner, ConcurrentQueue<string> hosts) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            hosts.Enqueue(request.RequestUri!.Host);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
