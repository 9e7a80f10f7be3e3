using System.Net;
using System.Text.Json;
using MassTransit;
using Webhooks.Tests.Cli.Support;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Connections;

/// <summary>
/// Several broker nodes and database hosts in the settings: the receiver, the processor and the CLI
/// carry on through the others when the one in use goes, and come back to it when the other goes.
/// </summary>
public class ClusterConnectionTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Test]
    public async Task Processor_LosingTheNodeAndHostInUse_ReconnectsToTheOthers_AndKeepsApplyingEvents()
    {
        await using var cluster = new ClusterNodes();
        await using var schema = await ProcessorSchema.CreateAsync();
        await using var processor = new ProcessorFactory(cluster.Postgres(schema.ConnectionString), new Dictionary<string, string?>
        {
            ["ConnectionStrings:RabbitMq"] = cluster.RabbitMq,
        }).Start();
        var orders = new OrderQueries(schema.ConnectionString);

        foreach (var step in new[] { ' ', 'A', 'B' })
        {
            if (step != ' ')
            {
                cluster.Lose(step);
            }

            var orderId = TestPayments.NewOrderId();
            var published = await Eventually.TrueAsync(() => TryPublishAsync(processor, orderId), Patience);
            Assert.That(published, Is.True, $"a publish went through after losing {step}");
            Assert.That(
                await Eventually.TrueAsync(async () => await orders.StatusAsync(orderId) == "paid", Patience),
                Is.True,
                $"the event was applied after losing {step}");
        }
    }

    [Test]
    public async Task Receiver_LosingTheNodeAndHostInUse_StoresAndPublishesThroughTheOthers()
    {
        await using var cluster = new ClusterNodes();
        await using var receiver = new ReceiverFactory(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = cluster.Postgres(TestEnvironment.Postgres),
            ["ConnectionStrings:RabbitMq"] = cluster.RabbitMq,
        });
        await using var queue = await BoundQueue.CreateAsync(receiver.Exchange);
        using var client = receiver.CreateClient();

        var ids = new List<string>();
        foreach (var step in new[] { ' ', 'A', 'B' })
        {
            if (step != ' ')
            {
                cluster.Lose(step);
            }

            var id = TestEvents.NewEventId();
            ids.Add(id);
            // The first request after a loss may meet a cut connection and hear 503, as a gateway would; it retries.
            var accepted = await Eventually.TrueAsync(
                async () =>
                {
                    using var response = await client.SendAsync(TestEvents.Stripe(TestEvents.StripeBody(id)));
                    return response.StatusCode == HttpStatusCode.OK;
                },
                Patience);
            Assert.That(accepted, Is.True, $"accepted after losing {step}");
            Assert.That(await queue.WaitForCountAsync((uint)ids.Count, Patience), Is.EqualTo((uint)ids.Count), $"published after losing {step}");
        }

        var confirmed = await Eventually.TrueAsync(async () => await receiver.Store.CountOutboxAsync("stripe", ids) == 0, Patience);
        Assert.That(confirmed, Is.True, "every publish confirmed");
    }

    [Test]
    public async Task Cli_WithTheFirstNodeAndHostAway_ReadsThroughTheOthers()
    {
        await using var cluster = new ClusterNodes();
        await using var schema = await CliSchema.CreateMigratedAsync();
        var settings = schema.Settings() with
        {
            Extra = new Dictionary<string, string?> { ["ConnectionStrings:RabbitMq"] = cluster.RabbitMq },
        };
        settings = settings with { Postgres = cluster.Postgres(settings.Postgres) };
        await BoundQueue.WithChannelAsync(channel => channel.QueueDeclareAsync(settings.ErrorQueueName, durable: true, exclusive: false, autoDelete: false));
        try
        {
            cluster.Lose('A');

            var dlq = await CliRunner.RunAsync(settings, "dlq", "list", "--json");
            var events = await CliRunner.RunAsync(settings, "events", "list", "--json");

            Assert.That(dlq.ExitCode, Is.Zero, dlq.ToString());
            Assert.That(dlq.Json().GetArrayLength(), Is.Zero);
            Assert.That(events.ExitCode, Is.Zero, events.ToString());
            Assert.That(events.Json().ValueKind, Is.EqualTo(JsonValueKind.Array));
        }
        finally
        {
            await BrokerEntities.DeleteAsync(queues: [settings.ErrorQueueName], exchanges: []);
        }
    }

    private static async Task<bool> TryPublishAsync(ProcessorFactory processor, string orderId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await processor.Get<IBus>().Publish(TestPayments.Event("payment_intent.succeeded", orderId), context => context.Durable = true, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or MassTransitException or RabbitMQ.Client.Exceptions.RabbitMQClientException)
        {
            return false;
        }
    }
}
