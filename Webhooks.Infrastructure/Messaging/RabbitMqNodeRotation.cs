using RabbitMQ.Client;

namespace Webhooks.Infrastructure.Messaging;

/// <summary>
/// The order in which a connection attempt tries the nodes: every node in turn, each attempt starting
/// one node further than the last, as MassTransit's own cluster resolver does. So the connections of
/// one process spread over the cluster, and the attempt after a lost connection starts elsewhere.
/// </summary>
internal sealed class RabbitMqNodeRotation(IReadOnlyList<RabbitMqNode> nodes) : IEndpointResolver
{
    private int _attempts = -1;

    public IEnumerable<AmqpTcpEndpoint> All()
    {
        var start = (int)((uint)Interlocked.Increment(ref _attempts) % (uint)nodes.Count);
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[(start + i) % nodes.Count];
            yield return new AmqpTcpEndpoint(node.Host, node.Port);
        }
    }
}
