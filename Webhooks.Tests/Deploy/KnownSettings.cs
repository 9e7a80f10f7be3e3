using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Webhooks.Tests.Deploy;

/// <summary>
/// The environment variables the services really read, derived from their options classes (every
/// class with a <c>SectionName</c> constant in a <c>Webhooks.*</c> assembly), plus the standard ones.
/// </summary>
public static class KnownSettings
{
    private static readonly string[] StandardPrefixes = ["ASPNETCORE_", "DOTNET_", "OTEL_", "Logging__"];

    public static IReadOnlyList<Regex> Patterns { get; } = Build();

    public static bool IsKnown(string variable) =>
        StandardPrefixes.Any(p => variable.StartsWith(p, StringComparison.Ordinal)) || Patterns.Any(p => p.IsMatch(variable));

    private static List<Regex> Build()
    {
        var patterns = new List<Regex>();
        foreach (var type in Assemblies().SelectMany(a => a.GetTypes()))
        {
            if (type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field)
            {
                AddProperties(patterns, Regex.Escape((string)field.GetValue(null)!), type, depth: 0);
            }
        }

        return patterns;
    }

    private static void AddProperties(List<Regex> patterns, string prefix, Type type, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var name = $"{prefix}__{property.Name}";
            var propertyType = property.PropertyType;
            if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>) && depth < 2)
            {
                // A named entry, e.g. Webhooks__Providers__<name>__Scheme.
                AddProperties(patterns, $"{name}__[A-Za-z0-9_-]+", propertyType.GetGenericArguments()[1], depth + 1);
            }
            else if (propertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(propertyType))
            {
                patterns.Add(new Regex($"^{name}__[0-9]+$"));
            }
            else
            {
                patterns.Add(new Regex($"^{name}$"));
            }
        }
    }

    private static IEnumerable<Assembly> Assemblies()
    {
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory, "Webhooks.*.dll"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (name is not ("Webhooks.Tests" or "Webhooks.Benchmarks"))
            {
                yield return Assembly.Load(name);
            }
        }
    }
}
