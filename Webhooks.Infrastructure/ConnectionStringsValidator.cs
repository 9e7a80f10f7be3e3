using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Infrastructure.Messaging;

namespace Webhooks.Infrastructure;

/// <summary>Stops the process at start when a connection string cannot be used, naming the variable to fix.</summary>
internal sealed class ConnectionStringsValidator : IValidateOptions<ConnectionStringsOptions>
{
    public ValidateOptionsResult Validate(string? name, ConnectionStringsOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Postgres))
        {
            failures.Add("ConnectionStrings__Postgres is not set: give an Npgsql connection string such as "
                + "'Host=127.0.0.1;Database=webhooks;Username=...;Password=...'.");
        }
        else
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(options.Postgres);
                if (string.IsNullOrWhiteSpace(builder.Host))
                {
                    failures.Add("ConnectionStrings__Postgres has no Host.");
                }
                else if (HostsProblem(builder) is { } problem)
                {
                    failures.Add($"ConnectionStrings__Postgres {problem}");
                }
            }
            catch (ArgumentException ex)
            {
                // The message of NpgsqlConnectionStringBuilder names the bad keyword, never the password.
                failures.Add($"ConnectionStrings__Postgres is not a valid Npgsql connection string: {ex.Message}");
            }
        }

        if (!RabbitMqAddress.TryParse(options.RabbitMq, out _, out var error))
        {
            failures.Add($"ConnectionStrings__RabbitMq {error}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// Several hosts are a primary and its standbys, and every process writes: it must be told to open
    /// its connections on the primary only, or it would write to a read-only standby after a failover.
    /// </summary>
    private static string? HostsProblem(NpgsqlConnectionStringBuilder builder)
    {
        var several = builder.Host!.Contains(',', StringComparison.Ordinal);
        var target = builder.TargetSessionAttributes;
        if (several && target is not ("primary" or "read-write"))
        {
            return $"names several hosts with Target Session Attributes={target ?? "any"}: "
                + "add 'Target Session Attributes=primary', so that every connection opens on the primary.";
        }

        if (!several && target is not (null or "any"))
        {
            return $"names one host with Target Session Attributes={target}: Npgsql supports it only with several hosts (Host=a:5432,b:5432).";
        }

        return null;
    }
}
