using Microsoft.Extensions.Options;
using Npgsql;
using Webhooks.Infrastructure;
using Webhooks.Infrastructure.Database;

namespace Webhooks.Tests.Connections;

/// <summary><c>ConnectionStrings__Postgres</c> with one host, or a primary and its standbys in Npgsql's multi-host form.</summary>
public class PostgresConnectionStringTests
{
    private const string Credentials = "Database=webhooks;Username=webhooks;Password=webhooks";

    [TestCase("Host=a:5432,b:5432;Target Session Attributes=primary;" + Credentials)]
    [TestCase("Host=a,b;Port=5433;Target Session Attributes=read-write;" + Credentials)]
    [TestCase("Host=a;" + Credentials)]
    public void ValidHosts_AreAccepted(string value)
    {
        Assert.That(Validate(value).Succeeded, Is.True, Validate(value).FailureMessage);
    }

    [TestCase("Host=a:5432,b:5432;" + Credentials, "Target Session Attributes=any")]
    [TestCase("Host=a:5432,b:5432;Target Session Attributes=prefer-primary;" + Credentials, "Target Session Attributes=prefer-primary")]
    [TestCase("Host=a:5432;Target Session Attributes=primary;" + Credentials, "only with several hosts")]
    public void HostsThatCouldNotAlwaysWrite_AreRefused_NamingTheSetting(string value, string reason)
    {
        var result = Validate(value);

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Does.Contain("ConnectionStrings__Postgres").And.Contain(reason).And.Not.Contain("Password"));
    }

    [Test]
    public void SeveralHosts_AskEveryOpenWhichHostIsThePrimary_UnlessToldOtherwise()
    {
        var prepared = Prepared("Host=a:5432,b:5432;Target Session Attributes=primary;" + Credentials);
        var told = Prepared("Host=a,b;Host Recheck Seconds=5;Target Session Attributes=primary;" + Credentials);
        var single = DatabaseServiceCollectionExtensions.Prepare("Host=a;" + Credentials);

        Assert.Multiple(() =>
        {
            Assert.That(prepared.HostRecheckSeconds, Is.Zero);
            Assert.That(prepared.Options, Does.Contain("synchronous_commit=on"));
            Assert.That(told.HostRecheckSeconds, Is.EqualTo(5));
            Assert.That(single, Does.Not.Contain("Host Recheck Seconds"), "one host has no role to remember");
        });
    }

    [Test]
    public void SeveralHosts_MakeAMultiHostDataSource_ThatOpensOnThePrimary()
    {
        using var dataSource = DatabaseServiceCollectionExtensions.CreateDataSource("Host=a:5432,b:5432;Target Session Attributes=primary;" + Credentials);

        Assert.That(dataSource, Is.InstanceOf<NpgsqlMultiHostDataSource>());
        Assert.That(new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).TargetSessionAttributes, Is.EqualTo("primary"));
    }

    [Test]
    public void NoPrimaryAmongTheHosts_CountsAsTheDatabaseBeingAway()
    {
        // What a multi-host data source throws while its hosts are a standby and an old primary marked offline.
        Assert.Multiple(() =>
        {
            Assert.That(DatabaseUnavailable.Is(new NpgsqlException("No suitable host was found.")), Is.True);
            Assert.That(DatabaseUnavailable.Is(new NpgsqlException(
                "Unable to connect to a suitable host. Check inner exception for more details.",
                new AggregateException(new NpgsqlException("Failed to connect", new System.Net.Sockets.SocketException(111))))), Is.True);
            Assert.That(DatabaseUnavailable.Is(new InvalidOperationException("migration failed", new NpgsqlException("No suitable host was found."))), Is.True);
            Assert.That(DatabaseUnavailable.Is(new NpgsqlException("password authentication failed")), Is.False);
            Assert.That(DatabaseUnavailable.Is(new InvalidOperationException("synchronous_commit is 'off'")), Is.False);
        });
    }

    private static NpgsqlConnectionStringBuilder Prepared(string connectionString) =>
        new(DatabaseServiceCollectionExtensions.Prepare(connectionString));

    private static ValidateOptionsResult Validate(string postgres) =>
        new ConnectionStringsValidator().Validate(null, new ConnectionStringsOptions { Postgres = postgres, RabbitMq = "amqp://guest:guest@127.0.0.1:5672/" });
}
