using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Webhooks.Infrastructure;

/// <summary>
/// Reads the values of one settings section against the types of its options class before they are
/// bound, so that a value that cannot be converted (<c>StuckOrders__PendingThreshold=banana</c>) is
/// one sentence naming the variable and what it expects, not the binder's exception about
/// <c>System.TimeSpan</c>. Only values of simple types are read; text is the validators' business.
/// </summary>
public static class SettingValues
{
    /// <summary>
    /// Checks every settings section of the options classes in <paramref name="assemblies"/> (and this
    /// one): each public class with a <c>SectionName</c> constant. Run before the options are bound,
    /// so that the process stops with one sentence naming the variable.
    /// </summary>
    public static void ThrowIfUnreadable(IConfiguration configuration, params Assembly[] assemblies)
    {
        ArgumentNullException.ThrowIfNull(assemblies);
        var failures = assemblies.Append(typeof(SettingValues).Assembly).Distinct()
            .SelectMany(a => a.GetExportedTypes())
            .Select(type => (Type: type, Section: type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
            .Where(t => t.Section is not null)
            .Select(t => FirstUnreadable(configuration, t.Section!, t.Type))
            .OfType<string>()
            .ToList();
        if (failures.Count > 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException("settings", typeof(SettingValues), failures);
        }
    }

    /// <summary>The first unreadable value of <paramref name="sectionName"/>, as a sentence; null when every value converts.</summary>
    public static string? FirstUnreadable(IConfiguration configuration, string sectionName, Type optionsType)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(optionsType);
        var section = configuration.GetSection(sectionName);
        foreach (var property in optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var expected = Expected(type);
            var value = section[property.Name];
            if (expected is null || string.IsNullOrEmpty(value) || Converts(value, type))
            {
                continue;
            }

            return $"{sectionName}__{property.Name} '{value}' is not {expected}.";
        }

        return null;
    }

    private static bool Converts(string value, Type type)
    {
        try
        {
            // The converter the configuration binder itself uses.
            _ = TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException or NotSupportedException
            || ex.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    private static string? Expected(Type type) =>
        type == typeof(TimeSpan) ? "a time span: write it as hh:mm:ss (00:15:00) or d.hh:mm:ss (1.00:00:00)"
        : type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(double) || type == typeof(decimal) ? $"a number, e.g. {0.5.ToString(CultureInfo.InvariantCulture)}"
        : type == typeof(bool) ? "true or false"
        : type.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(type))}"
        : null;
}
