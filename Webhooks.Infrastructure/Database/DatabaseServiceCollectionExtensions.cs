using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Webhooks.Infrastructure.Database;

public static class DatabaseServiceCollectionExtensions
{

    /// <summary>Validated connection strings, one pooled <see cref="NpgsqlDataSource"/>, and the schema applied at start.</summary>
    public static IServiceCollection AddWebhooksDatabase(this IServiceCollection services)
    {
        services.AddConnectionStrings();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var connectionString = sp.GetRequiredService<IOptions<ConnectionStringsOptions>>().Value.Postgres;
            return CreateDataSource(connectionString);
        });
        services.AddSingleton<DatabaseMigrator>();
        services.AddHostedService<DatabaseStartup>();
        return services;
    }

    public static IServiceCollection AddConnectionStrings(this IServiceCollection services)
    {
        services.AddOptions<ConnectionStringsOptions>()
            .BindConfiguration(ConnectionStringsOptions.SectionName)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConnectionStringsOptions>, ConnectionStringsValidator>());
        return services;
    }

    /// <summary>
    /// A data source on <c>ConnectionStrings__Postgres</c> as every process uses it; with several hosts
    /// Npgsql builds a multi-host data source that opens each connection on the current primary.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString) =>
        new NpgsqlDataSourceBuilder(Prepare(connectionString)).Build();

    /// <summary>The connection string as every connection of ours uses it, DbUp's included.</summary>
    public static string Prepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Durability is not left to the server's default: every session of ours commits synchronously.
        builder.Options = AppendOption(builder.Options, "-c synchronous_commit=on");
        builder.ApplicationName ??= AppDomain.CurrentDomain.FriendlyName;
        if (builder.Host?.Contains(',', StringComparison.Ordinal) == true && !GivesHostRecheckSeconds(connectionString))
        {
            // Npgsql remembers each host's role for Host Recheck Seconds (10 by default). After a failover
            // it would then skip the promoted standby as a standby, and the old primary as offline, and
            // answer "No suitable host was found" at once, an error it does not count as transient, until
            // both memories expire. 0 asks on every open instead: one short query on a pooled connection.
            builder.HostRecheckSeconds = 0;
        }

        return builder.ConnectionString;
    }

    /// <summary>Whether the setting itself names it (Npgsql's builder reports every keyword it knows as present).</summary>
    private static bool GivesHostRecheckSeconds(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return given.ContainsKey("Host Recheck Seconds") || given.ContainsKey("HostRecheckSeconds");
    }

    private static string AppendOption(string? existing, string option) =>
        string.IsNullOrWhiteSpace(existing) ? option : $"{existing} {option}";
}
