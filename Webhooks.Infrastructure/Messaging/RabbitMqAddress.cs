using System.Diagnostics.CodeAnalysis;
using RabbitMQ.Client;

namespace Webhooks.Infrastructure.Messaging;

/// <summary>An <c>amqp://user:password@host:port/vhost</c> address taken apart for MassTransit and RabbitMQ.Client.</summary>
public sealed record RabbitMqAddress(string Host, int Port, string VirtualHost, string Username, string Password)
{
    public static RabbitMqAddress Parse(string value) =>
        TryParse(value, out var address, out var error) ? address : throw new FormatException($"ConnectionStrings__RabbitMq {error}");

    public static bool TryParse(string? value, [NotNullWhen(true)] out RabbitMqAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            error = "is not an absolute URI: expected amqp://user:password@host:port/vhost.";
            return false;
        }

        if (uri.Scheme is not ("amqp" or "amqps" or "rabbitmq"))
        {
            error = $"has scheme '{uri.Scheme}': expected amqp://user:password@host:port/vhost.";
            return false;
        }

        var user = "guest";
        var password = "guest";
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
        }

        // "amqp://host/" and "amqp://host" both mean RabbitMQ's default virtual host "/".
        var path = uri.AbsolutePath.TrimStart('/');
        var vhost = path.Length == 0 ? "/" : Uri.UnescapeDataString(path);
        var port = uri.IsDefaultPort || uri.Port <= 0 ? (uri.Scheme == "amqps" ? 5671 : 5672) : uri.Port;
        address = new RabbitMqAddress(uri.Host, port, vhost, user, password);
        error = null;
        return true;
    }

    /// <summary>
    /// A RabbitMQ.Client factory for this address that never reconnects on its own: callers decide
    /// what a lost connection means for the work they had in flight.
    /// </summary>
    public ConnectionFactory CreateConnectionFactory(string clientName) => new()
    {
        HostName = Host,
        Port = Port,
        VirtualHost = VirtualHost,
        UserName = Username,
        Password = Password,
        ClientProvidedName = clientName,
        RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
        AutomaticRecoveryEnabled = false,
        TopologyRecoveryEnabled = false,
    };

    /// <summary>MassTransit's address of an exchange on this broker, as it writes it into an envelope.</summary>
    public string ExchangeAddress(string exchange) =>
        $"rabbitmq://{Host}:{Port}/{(VirtualHost == "/" ? "" : Uri.EscapeDataString(VirtualHost) + "/")}{exchange}";

    /// <summary>The address without credentials, safe for logs.</summary>
    public override string ToString() => $"amqp://{Host}:{Port}/{(VirtualHost == "/" ? "" : Uri.EscapeDataString(VirtualHost))}";
}
