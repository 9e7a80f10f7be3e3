using Npgsql;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Connections;

/// <summary>
/// Two broker nodes and two database hosts, played by proxies in front of the test run's RabbitMQ and
/// PostgreSQL: a test takes "node A" or "host A" away (the connections in use are cut, new ones
/// refused) and sees the code under test carry on through B, then the other way round.
/// </summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    private readonly TcpProxy _nodeA;
    private readonly TcpProxy _nodeB;
    private readonly TcpProxy _hostA;
    private readonly TcpProxy _hostB;

    public ClusterNodes()
    {
        var broker = TestEnvironment.RabbitMqAddress;
        var database = new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres);
        _nodeA = new TcpProxy("127.0.0.1", broker.Port);
        _nodeB = new TcpProxy("127.0.0.1", broker.Port);
        _hostA = new TcpProxy("127.0.0.1", database.Port);
        _hostB = new TcpProxy("127.0.0.1", database.Port);
        var vhost = broker.VirtualHost == "/" ? "" : Uri.EscapeDataString(broker.VirtualHost);
        var credentials = $"{Uri.EscapeDataString(broker.Username)}:{Uri.EscapeDataString(broker.Password)}";
        RabbitMq = $"amqp://{credentials}@127.0.0.1:{_nodeA.Port}/{vhost},amqp://{credentials}@127.0.0.1:{_nodeB.Port}/{vhost}";
    }

    /// <summary><c>ConnectionStrings__RabbitMq</c> naming node A, then node B.</summary>
    public string RabbitMq { get; }

    /// <summary><paramref name="connectionString"/> with host A, then host B, opening on the primary.</summary>
    public string Postgres(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString)
    {
        Host = $"127.0.0.1:{_hostA.Port},127.0.0.1:{_hostB.Port}",
        TargetSessionAttributes = "primary",
    }.ConnectionString;

    /// <summary>Node A and host A go (B serves), or come back while B goes.</summary>
    public void Lose(char which)
    {
        var (lost, kept) = which == 'A' ? ((_nodeA, _hostA), (_nodeB, _hostB)) : ((_nodeB, _hostB), (_nodeA, _hostA));
        kept.Item1.Forward();
        kept.Item2.Forward();
        lost.Item1.Refuse();
        lost.Item2.Refuse();
    }

    public async ValueTask DisposeAsync()
    {
        await _nodeA.DisposeAsync();
        await _nodeB.DisposeAsync();
        await _hostA.DisposeAsync();
        await _hostB.DisposeAsync();
    }
}
