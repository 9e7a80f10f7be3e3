using Webhooks.Infrastructure.Messaging;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// Where the real PostgreSQL and RabbitMQ of this test run are. <c>deploy/local/services.sh env</c>
/// exports these; without them the defaults match that script's ports.
/// </summary>
public static class TestEnvironment
{
    /// <remarks>
    /// Every test schema is a connection string of its own, so a pool of its own: idle connections
    /// close after a few seconds, or a whole run's pools would fill PostgreSQL's max_connections.
    /// </remarks>
    public static string Postgres { get; } = new Npgsql.NpgsqlConnectionStringBuilder(
        Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
        ?? "Host=127.0.0.1;Port=24432;Database=webhooks;Username=webhooks;Password=webhooks")
    {
        ConnectionIdleLifetime = 2,
        ConnectionPruningInterval = 1,
    }.ConnectionString;

    public static string RabbitMq { get; } =
        Environment.GetEnvironmentVariable("ConnectionStrings__RabbitMq") ?? "amqp://guest:guest@127.0.0.1:24720/";

    public static RabbitMqAddress RabbitMqAddress { get; } = RabbitMqAddress.Parse(RabbitMq);

    /// <summary>A command prefix that runs rabbitmqctl against the test broker, e.g. for stop_app.</summary>
    public static string? RabbitMqCtl { get; } = Environment.GetEnvironmentVariable("WEBHOOKS_RABBITMQCTL");

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}
