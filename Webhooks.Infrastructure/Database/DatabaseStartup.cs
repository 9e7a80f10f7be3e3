using Dapper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Webhooks.Infrastructure.Database;

/// <summary>
/// Runs before the process takes traffic: waits for PostgreSQL (bounded; with several hosts, for one
/// of them to be the primary), refuses a server that would acknowledge commits before they are
/// durable, and applies the schema.
/// </summary>
public sealed partial class DatabaseStartup(
    NpgsqlDataSource dataSource,
    DatabaseMigrator migrator,
    TimeProvider timeProvider,
    ILogger<DatabaseStartup> logger) : IHostedService
{
    // Long enough for PostgreSQL and the service to be started together; short enough that a
    // wrong address fails the deployment visibly instead of hanging it.
    private static readonly TimeSpan StartupDeadline = TimeSpan.FromSeconds(60);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + StartupDeadline;
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                await CheckDurabilityAsync(cancellationToken);
                await migrator.MigrateAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (DatabaseUnavailable.Is(ex) && timeProvider.GetUtcNow() < deadline)
            {
                LogWaiting(ex.Message, delay);
                await Task.Delay(delay, timeProvider, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task CheckDurabilityAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var setting = await connection.ExecuteScalarAsync<string>(
            new CommandDefinition("SELECT current_setting('synchronous_commit')", cancellationToken: cancellationToken));
        // A 200 promises the event survives a crash: commits must reach the disk before we answer.
        if (setting is "off" or "local")
        {
            throw new InvalidOperationException(
                $"PostgreSQL synchronous_commit is '{setting}' for this connection: a crash could lose acknowledged events. "
                + "Set it to 'on' (or remote_write/remote_apply).");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL is not reachable yet ({Reason}); trying again in {Delay}")]
    private partial void LogWaiting(string reason, TimeSpan delay);
}
