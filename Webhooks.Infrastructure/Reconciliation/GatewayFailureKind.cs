namespace Webhooks.Infrastructure.Reconciliation;

/// <summary>How a call to the gateway's API failed: the <c>kind</c> label of <c>webhooks.gateway.failures</c>.</summary>
public static class GatewayFailureKind
{
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string RateLimited = "rate_limited";
    public const string ServerError = "server_error";
    public const string Timeout = "timeout";
    public const string Network = "network";
    public const string Rejected = "rejected";

    public static IReadOnlyList<string> All { get; } = [Unauthorized, Forbidden, RateLimited, ServerError, Timeout, Network, Rejected];

    /// <summary>Worth another try: the gateway may answer later.</summary>
    public static bool IsTransient(string kind) => kind is RateLimited or ServerError or Timeout or Network;
}
