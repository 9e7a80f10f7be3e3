using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Webhooks.Infrastructure.Telemetry;

/// <summary>
/// The host's logger factory, with one change: an entry that carries an exception is written as one
/// line, its message followed by the exception's type and message, unless Debug is on for its
/// category; only then does the stack trace go with it. MassTransit logs every retry and every fault
/// with its exception (eight lines of stack trace per dead letter otherwise), and so may anything
/// else; operators read one line per event and turn on Debug for a category to see more.
/// </summary>
public sealed class OneLineExceptionLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    /// <summary>Replaces the registered <see cref="ILoggerFactory"/> with this one around the standard factory.</summary>
    public static void Register(IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new OneLineExceptionLoggerFactory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>()))));

    public ILogger CreateLogger(string categoryName) => new OneLineExceptionLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    public void Dispose() => inner.Dispose();

    private sealed class OneLineExceptionLogger(ILogger logger) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => logger.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logger.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is null || logger.IsEnabled(LogLevel.Debug))
            {
                logger.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            logger.Log(logLevel, eventId, state, null, (s, _) => $"{formatter(s, exception)} ({FailureText.Of(exception)})");
        }
    }
}
