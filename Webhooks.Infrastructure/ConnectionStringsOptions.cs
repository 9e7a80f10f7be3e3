namespace Webhooks.Infrastructure;

/// <summary>The two connection strings every process reads: <c>ConnectionStrings__Postgres</c> and <c>ConnectionStrings__RabbitMq</c>.</summary>
public sealed class ConnectionStringsOptions
{
    public const string SectionName = "ConnectionStrings";

    public string Postgres { get; set; } = "";

    public string RabbitMq { get; set; } = "amqp://guest:guest@localhost:5672/";
}
