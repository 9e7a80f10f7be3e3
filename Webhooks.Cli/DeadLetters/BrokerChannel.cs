using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Webhooks.Cli.DeadLetters;

/// <summary>A channel of the dead-letter commands, whose connection or broker may be gone by the time it is used.</summary>
internal static class BrokerChannel
{
    /// <summary>How a channel fails when its connection or the broker went away.</summary>
    public static bool IsLost(Exception ex) => ex is AlreadyClosedException or OperationInterruptedException or IOException;

    /// <summary>Closes the channel while it is open; one already lost is disposed all the same.</summary>
    public static async ValueTask CloseAsync(IChannel channel)
    {
        try
        {
            if (channel.IsOpen)
            {
                await channel.CloseAsync();
            }
        }
        catch (Exception ex) when (IsLost(ex))
        {
            // Gone either way: nothing more to do than release it.
        }

        await channel.DisposeAsync();
    }
}
