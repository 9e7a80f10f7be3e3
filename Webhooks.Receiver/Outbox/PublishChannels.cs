using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Messaging;

namespace Webhooks.Receiver.Outbox;

/// <summary>
/// The outbox's connection to RabbitMQ and its publishing channels, each with publisher confirms
/// tracked by the client. A batch borrows a channel for itself (a channel is never shared by two
/// batches at once) and gives it back; a channel or connection that closed is dropped and opened
/// again on the next borrow, so a broker restart costs the batches in flight and nothing else; with
/// a cluster the new connection goes to the next node that answers.
/// The event exchange is declared on every new connection, as MassTransit would declare it.
/// </summary>
public sealed partial class PublishChannels(
    IOptions<ConnectionStringsOptions> connectionStrings,
    IOptions<BrokerOptions> broker,
    ILogger<PublishChannels> logger) : IAsyncDisposable
{
    private readonly RabbitMqAddress _address = RabbitMqAddress.Parse(connectionStrings.Value.RabbitMq);
    private readonly string _exchange = broker.Value.EventExchange;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly ConcurrentBag<IChannel> _idle = [];
    private IConnection? _connection;
    private volatile bool _failedToConnect;

    public string Exchange => _exchange;

    /// <summary>Whether the outbox's connection is open; null until a publish first needed one.</summary>
    public bool? IsConnected => _connection is { } connection ? connection.IsOpen : _failedToConnect ? false : null;

    /// <summary>Where MassTransit would say these messages were sent.</summary>
    public string DestinationAddress => _address.ExchangeAddress(_exchange);

    public async Task<IChannel> RentAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryTake(out var idle))
        {
            if (idle.IsOpen)
            {
                return idle;
            }

            await CloseQuietlyAsync(idle);
        }

        var connection = await ConnectAsync(cancellationToken);
        return await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);
    }

    public void Return(IChannel channel)
    {
        if (channel.IsOpen)
        {
            _idle.Add(channel);
        }
        else
        {
            _ = CloseQuietlyAsync(channel);
        }
    }

    private async Task<IConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true } open)
        {
            return open;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_connection is { IsOpen: true } opened)
            {
                return opened;
            }

            if (_connection is { } closed)
            {
                LogReconnecting(closed.CloseReason?.ReplyText ?? "closed");
                await CloseQuietlyAsync(closed);
                _connection = null;
            }

            IConnection connection;
            try
            {
                connection = await _address.ConnectAsync("webhooks-receiver outbox", cancellationToken);
                _failedToConnect = false;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                _failedToConnect = true;
                throw;
            }

            try
            {
                await using var setup = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
                await setup.ExchangeDeclareAsync(_exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
            }
            catch
            {
                await CloseQuietlyAsync(connection);
                throw;
            }

            _connection = connection;
            LogConnected(connection.Endpoint.HostName, connection.Endpoint.Port);
            return connection;
        }
        finally
        {
            _connecting.Release();
        }
    }

    private static async Task CloseQuietlyAsync(IAsyncDisposable disposable)
    {
        try
        {
            await disposable.DisposeAsync();
        }
        catch (Exception) // closing something already broken may fail; nothing depends on it
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var channel))
        {
            await CloseQuietlyAsync(channel);
        }

        if (_connection is { } connection)
        {
            await CloseQuietlyAsync(connection);
        }

        _connecting.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The outbox is connected to RabbitMQ at {Host}:{Port}")]
    private partial void LogConnected(string host, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconnecting the outbox to RabbitMQ (the last connection ended: {Reason})")]
    private partial void LogReconnecting(string reason);
}
