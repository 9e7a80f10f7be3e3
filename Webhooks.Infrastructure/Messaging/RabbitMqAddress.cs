using System.Diagnostics.CodeAnalysis;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Webhooks.Infrastructure.Messaging;

/// <summary>
/// <c>ConnectionStrings__RabbitMq</c> taken apart for MassTransit and RabbitMQ.Client: one
/// <c>amqp://user:password@host:port/vhost</c>, or for a cluster several such URIs separated by commas.
/// The nodes of a cluster share its users and virtual hosts, so a list whose URIs disagree on them is
/// refused rather than half used. Connections try the nodes in turn (<see cref="RabbitMqNodeRotation"/>).
/// </summary>
public sealed class RabbitMqAddress
{
    private readonly RabbitMqNodeRotation _rotation;

    private RabbitMqAddress(IReadOnlyList<RabbitMqNode> nodes, string virtualHost, string username, string password)
    {
        Nodes = nodes;
        VirtualHost = virtualHost;
        Username = username;
        Password = password;
        _rotation = new RabbitMqNodeRotation(nodes);
    }

    public IReadOnlyList<RabbitMqNode> Nodes { get; }

    /// <summary>The first node's host: where MassTransit's addresses say the broker is.</summary>
    public string Host => Nodes[0].Host;

    public int Port => Nodes[0].Port;

    public string VirtualHost { get; }

    public string Username { get; }

    public string Password { get; }

    public static RabbitMqAddress Parse(string value) =>
        TryParse(value, out var address, out var error) ? address : throw new FormatException($"ConnectionStrings__RabbitMq {error}");

    /// <summary>Parses the setting; <paramref name="error"/> completes a sentence that starts with the setting's name, and never quotes a password.</summary>
    public static bool TryParse(string? value, [NotNullWhen(true)] out RabbitMqAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "is empty: expected amqp://user:password@host:port/vhost, or several such URIs separated by commas for a cluster.";
            return false;
        }

        var entries = value.Split(',');
        var nodes = new List<RabbitMqNode>(entries.Length);
        RabbitMqUri? first = null;
        for (var i = 0; i < entries.Length; i++)
        {
            var which = entries.Length == 1 ? "" : $" (node {i + 1} of {entries.Length})";
            if (!RabbitMqUri.TryParse(entries[i].Trim(), out var uri, out error))
            {
                error = $"{error.TrimEnd('.')}{which}: expected amqp://user:password@host:port/vhost"
                    + (entries.Length == 1 ? "." : ", separated by single commas (write a comma inside a password as %2C).");
                return false;
            }

            if (first is not null && (uri.Username != first.Username || uri.Password != first.Password))
            {
                error = $"gives node {i + 1} other credentials than node 1: the nodes of one cluster share their users, "
                    + "so every URI must name the same user and password.";
                return false;
            }

            if (first is not null && (uri.VirtualHost != first.VirtualHost || uri.Scheme != first.Scheme))
            {
                error = $"gives node {i + 1} another virtual host or scheme than node 1: every URI must name the same virtual host and scheme.";
                return false;
            }

            if (nodes.Contains(uri.Node))
            {
                error = $"names node {uri.Node} twice.";
                return false;
            }

            first ??= uri;
            nodes.Add(uri.Node);
        }

        address = new RabbitMqAddress(nodes, first!.VirtualHost, first.Username, first.Password);
        error = null;
        return true;
    }

    /// <summary>
    /// Opens a connection to the first node that answers, trying every node in turn. It never
    /// reconnects on its own: callers decide what a lost connection means for the work they had in
    /// flight, and their next call goes on to the next node.
    /// </summary>
    public async Task<IConnection> ConnectAsync(string clientName, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            VirtualHost = VirtualHost,
            UserName = Username,
            Password = Password,
            ClientProvidedName = clientName,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
        };

        // One node at a time: RabbitMQ.Client moves on to its next endpoint only when the TCP connect
        // fails, not when a node accepts and then fails the handshake (booting, paused, or a proxy in front).
        var failures = new List<Exception>();
        foreach (var node in _rotation.All())
        {
            try
            {
                return await factory.CreateConnectionAsync([node], clientName, cancellationToken);
            }
            catch (BrokerUnreachableException ex) when (!cancellationToken.IsCancellationRequested)
            {
                failures.Add(ex.InnerException ?? ex);
            }
        }

        throw new BrokerUnreachableException(failures.Count == 1 ? failures[0] : new AggregateException(failures));
    }

    /// <summary>MassTransit's address of an exchange on this broker, as it writes it into an envelope.</summary>
    public string ExchangeAddress(string exchange) =>
        $"rabbitmq://{Host}:{Port}/{(VirtualHost == "/" ? "" : Uri.EscapeDataString(VirtualHost) + "/")}{exchange}";

    /// <summary>The nodes and virtual host without credentials, safe for logs.</summary>
    public override string ToString() =>
        $"amqp://{string.Join(',', Nodes)}/{(VirtualHost == "/" ? "" : Uri.EscapeDataString(VirtualHost))}";
}
