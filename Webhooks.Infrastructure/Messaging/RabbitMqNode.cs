namespace Webhooks.Infrastructure.Messaging;

/// <summary>One broker node of <c>ConnectionStrings__RabbitMq</c>: where to open a connection.</summary>
public readonly record struct RabbitMqNode(string Host, int Port)
{
    public override string ToString() => $"{Host}:{Port}";
}
