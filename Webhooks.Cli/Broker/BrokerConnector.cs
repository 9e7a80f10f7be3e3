using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Webhooks.Infrastructure.Messaging;

namespace Webhooks.Cli.Broker;

/// <summary>Opens the run's one connection to RabbitMQ (<c>ConnectionStrings__RabbitMq</c>).</summary>
internal sealed class BrokerConnector(RabbitMqAddress address)
{
    public async Task<IConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        // A lost connection returns every held message to its queue; a silent reconnect would then
        // carry on with delivery tags that no longer mean anything, so the connection never reconnects.
        try
        {
            return await address.ConnectAsync("webhooks-cli", cancellationToken);
        }
        catch (BrokerUnreachableException ex)
        {
            throw new CliException($"RabbitMQ at {address} did not answer ({Innermost(ex).Message.TrimEnd('.')}): check ConnectionStrings__RabbitMq.", ex);
        }
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }
}
