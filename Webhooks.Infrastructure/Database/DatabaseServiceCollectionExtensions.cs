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

    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // Durability is not left to the server's default: every session of ours commits synchronously.
        builder.ConnectionStringBuilder.Options = AppendOption(builder.ConnectionStringBuilder.Options, "-c synchronous_commit=on");
        builder.ConnectionStringBuilder.ApplicationName ??= AppDomain.CurrentDomain.FriendlyName;
        return builder.Build();
    }

    private static string AppendOption(string? existing, string option) =>
        string.IsNullOrWhiteSpace(existing) ? option : $"{existing} {option}";
}
