using Dapper;
using Npgsql;

namespace Webhooks.Tests.Infrastructure;

/// <summary>
/// A trigger in the test's schema that makes recording chosen events in <c>processed_events</c> fail,
/// to have a database error inside one event of a batch, or at the batch's commit.
/// </summary>
public static class EventRejection
{
    /// <summary>
    /// Recording an event whose id starts with <paramref name="eventIdPrefix"/> fails with
    /// <paramref name="sqlState"/>: at once, after the event has changed its order (a poison event),
    /// or only at COMMIT, after the whole batch went through (a failed commit).
    /// </summary>
    public static async Task CreateAsync(string connectionString, string eventIdPrefix, string sqlState, bool atCommit)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync($"""
            CREATE FUNCTION reject_events() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF starts_with(NEW.event_id, '{eventIdPrefix}') THEN
                    RAISE EXCEPTION 'event % rejected (test)', NEW.event_id USING ERRCODE = '{sqlState}';
                END IF;
                RETURN NEW;
            END $$;
            {(atCommit
                ? "CREATE CONSTRAINT TRIGGER reject_events AFTER INSERT ON processed_events DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
                : "CREATE TRIGGER reject_events BEFORE INSERT ON processed_events FOR EACH ROW")} EXECUTE FUNCTION reject_events();
            """);
    }

    public static async Task DropAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.ExecuteAsync("DROP TRIGGER reject_events ON processed_events; DROP FUNCTION reject_events()");
    }
}
