using System.Diagnostics.CodeAnalysis;

namespace Webhooks.Infrastructure.Messaging;

/// <summary>One <c>amqp://user:password@host:port/vhost</c> of <c>ConnectionStrings__RabbitMq</c>, taken apart.</summary>
internal sealed record RabbitMqUri(string Scheme, RabbitMqNode Node, string VirtualHost, string Username, string Password)
{
    /// <summary><paramref name="error"/> says what is wrong without quoting the value, which may hold a password.</summary>
    public static bool TryParse(string value, [NotNullWhen(true)] out RabbitMqUri? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (value.Length == 0)
        {
            error = "has an empty entry";
            return false;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri))
        {
            error = "is not an absolute URI";
            return false;
        }

        if (uri.Scheme is not ("amqp" or "amqps" or "rabbitmq"))
        {
            error = $"has scheme '{uri.Scheme}'";
            return false;
        }

        if (string.IsNullOrWhiteSpace(uri.Host))
        {
            error = "has no host";
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
        parsed = new RabbitMqUri(uri.Scheme, new RabbitMqNode(uri.Host, port), vhost, user, password);
        error = null;
        return true;
    }

    /// <summary>Never the password: a record would print every property.</summary>
    public override string ToString() => $"{Scheme}://{Node}";
}
