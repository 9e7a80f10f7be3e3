using System.Net.Sockets;
using Npgsql;
using Webhooks.Infrastructure.Batching;
using Webhooks.Processor.Messaging;

namespace Webhooks.Tests.Processor;

/// <summary>Which failures the processor retries (and never dead-letters) and which it dead-letters at once.</summary>
public class TransientFailureTests
{
    private static IEnumerable<TestCaseData> Transient()
    {
        yield return new TestCaseData(Postgres("could not serialize access", "ERROR", PostgresErrorCodes.SerializationFailure)).SetName("SerializationFailure");
        yield return new TestCaseData(Postgres("deadlock detected", "ERROR", PostgresErrorCodes.DeadlockDetected)).SetName("Deadlock");
        yield return new TestCaseData(Postgres("terminating connection", "FATAL", PostgresErrorCodes.AdminShutdown)).SetName("AdminShutdown");
        yield return new TestCaseData(Postgres("the database system is starting up", "FATAL", PostgresErrorCodes.CannotConnectNow)).SetName("StartingUp");
        yield return new TestCaseData(new NpgsqlException("No suitable host was found.")).SetName("FailoverNoSuitableHost");
        yield return new TestCaseData(new NpgsqlException("Exception while reading from stream", new IOException("reset"))).SetName("ConnectionLost");
        yield return new TestCaseData(new TimeoutException("no answer")).SetName("Timeout");
        yield return new TestCaseData(new SocketException((int)SocketError.ConnectionRefused)).SetName("Refused");
        yield return new TestCaseData(new GroupCommitStoppedException()).SetName("ShuttingDown");
        yield return new TestCaseData(new TransientEventException("wrapped", new TimeoutException())).SetName("Wrapped");
    }

    private static IEnumerable<TestCaseData> Permanent()
    {
        yield return new TestCaseData(new PermanentEventException("data.object is not an object")).SetName("UnreadablePayload");
        yield return new TestCaseData(Postgres("violates check constraint", "ERROR", PostgresErrorCodes.CheckViolation)).SetName("CheckViolation");
        yield return new TestCaseData(Postgres("invalid byte sequence", "ERROR", PostgresErrorCodes.CharacterNotInRepertoire)).SetName("NulInText");
        yield return new TestCaseData(new InvalidOperationException("a bug")).SetName("Bug");
    }

    [TestCaseSource(nameof(Transient))]
    public void IsTransient_PassingFailure_IsRetried(Exception failure) => Assert.That(TransientFailure.IsTransient(failure), Is.True);

    [TestCaseSource(nameof(Permanent))]
    public void IsTransient_FailureThatRepeats_IsDeadLettered(Exception failure) => Assert.That(TransientFailure.IsTransient(failure), Is.False);

    // Npgsql's PostgresException takes the severity twice: as the server sent it and in its invariant form.
    private static PostgresException Postgres(string message, string severity, string sqlState) => new(message, severity, severity, sqlState);
}
