namespace Webhooks.Tests.Cli.Support;

/// <summary>
/// One request the simulator sent and what it got back, as seen on the wire: the event id of the
/// body, which attempt at that event id this was (1 for the first), the status, and the
/// receiver's acknowledgement (<c>accepted</c>, <c>duplicate</c>) when there was one.
/// </summary>
public sealed record WireExchange(string EventId, int Attempt, int Status, string? Ack);
