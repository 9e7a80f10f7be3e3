using Microsoft.Extensions.DependencyInjection;
using Webhooks.Cli.Configuration;

namespace Webhooks.Cli.Commands;

/// <summary>
/// The services of one run, built when a verb first needs them, not before: <c>--help</c> and usage
/// errors need no settings. Building them reads and validates every setting.
/// </summary>
internal sealed class CliRun(CliEnvironment environment) : IAsyncDisposable
{
    private ServiceProvider? _services;

    public T Get<T>()
        where T : notnull
    {
        if (_services is null)
        {
            var services = CliServices.Create(environment);
            try
            {
                CliServices.ValidateSettings(services);
            }
            catch
            {
                services.Dispose();
                throw;
            }

            _services = services;
        }

        return _services.GetRequiredService<T>();
    }

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }
}
