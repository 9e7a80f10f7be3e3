namespace Webhooks.Cli.Simulation;

/// <summary>
/// Where <c>simulate</c> sends: one receiver, or several separated by commas in <c>--url</c>, as a load
/// balancer in front of several would; attempts alternate between them (a retry goes to the next).
/// </summary>
internal sealed class ReceiverEndpoints
{
    private readonly Uri[] _endpoints;
    private int _attempts = -1;

    private ReceiverEndpoints(Uri[] endpoints) => _endpoints = endpoints;

    public static ReceiverEndpoints Parse(string url, string provider) =>
        new(url.Split(',', StringSplitOptions.TrimEntries).Select(u => Endpoint(u, provider)).ToArray());

    /// <summary>The endpoint of the next attempt.</summary>
    public Uri Next() => _endpoints[(int)((uint)Interlocked.Increment(ref _attempts) % (uint)_endpoints.Length)];

    public override string ToString() => string.Join(", ", _endpoints.Select(e => e.ToString()));

    private static Uri Endpoint(string url, string provider)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw CliException.Usage($"--url '{url}' is not an http or https address such as {SimulateHandler.DefaultUrl}");
        }

        // The receiver's address, to which the route is added; a full route is taken as it is.
        var route = $"webhooks/{provider}";
        if (uri.AbsolutePath.TrimEnd('/').EndsWith("/" + route, StringComparison.Ordinal))
        {
            return uri;
        }

        var builder = new UriBuilder(uri);
        builder.Path = builder.Path.TrimEnd('/') + "/" + route;
        return builder.Uri;
    }
}
