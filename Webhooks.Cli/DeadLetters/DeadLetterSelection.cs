namespace Webhooks.Cli.DeadLetters;

/// <summary>Which dead letters a replay or purge acts on: the given message ids, or <c>--all</c>; narrowed by <c>--type</c> and <c>--limit</c>.</summary>
internal sealed class DeadLetterSelection
{
    private readonly HashSet<string> _ids;
    private readonly HashSet<string> _found = new(StringComparer.OrdinalIgnoreCase);
    private readonly bool _all;
    private readonly string? _type;
    private readonly int? _limit;
    private int _taken;

    private DeadLetterSelection(IEnumerable<string> ids, bool all, string? type, int? limit)
    {
        _ids = new HashSet<string>(ids.Select(MessageIdKey), StringComparer.OrdinalIgnoreCase);
        _all = all;
        _type = type;
        _limit = limit;
    }

    public static DeadLetterSelection Create(IReadOnlyCollection<string> ids, bool all, string? type, int? limit)
    {
        if (all && ids.Count > 0)
        {
            throw CliException.Usage("Give either message ids or --all, not both.");
        }

        if (!all && ids.Count == 0)
        {
            throw CliException.Usage("Give the message ids to act on, or --all.");
        }

        if (limit is < 1)
        {
            throw CliException.Usage("--limit must be at least 1.");
        }

        return new DeadLetterSelection(ids, all, string.IsNullOrWhiteSpace(type) ? null : type, limit);
    }

    /// <summary>Exactly these message ids, as confirmed by the person running the command.</summary>
    public static DeadLetterSelection Exactly(IEnumerable<string> ids) => new(ids, all: false, type: null, limit: null);

    public bool IsAll => _all;

    /// <summary>The limit is reached: nothing more will match.</summary>
    public bool IsComplete => _limit is { } limit && _taken >= limit;

    /// <summary>Given ids that no message in the queue had (unknown once the limit stopped the search).</summary>
    public IReadOnlyList<string> Missing => IsComplete ? [] : [.. _ids.Where(id => !_found.Contains(id)).Order(StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="letter"/> is selected; a selected letter counts towards the limit.</summary>
    public bool Take(DeadLetter letter)
    {
        if (IsComplete)
        {
            return false;
        }

        var key = letter.MessageId is null ? null : MessageIdKey(letter.MessageId);
        if (!_all && (key is null || !_ids.Contains(key)))
        {
            return false;
        }

        if (_type is not null && !string.Equals(letter.EventType, _type, StringComparison.Ordinal))
        {
            return false;
        }

        if (key is not null)
        {
            _found.Add(key);
        }

        _taken++;
        return true;
    }

    /// <summary>
    /// A message id as compared: MassTransit's ids are GUIDs, which may be typed in any of their
    /// forms (with or without dashes, any case); anything else is compared as it is.
    /// </summary>
    public static string MessageIdKey(string messageId) =>
        Guid.TryParse(messageId, out var guid) ? guid.ToString("D") : messageId;

    /// <summary>The selection as the command line gave it, for the audit trail.</summary>
    public string Describe()
    {
        var parts = new List<string> { _all ? "--all" : string.Join(' ', _ids.Order(StringComparer.Ordinal)) };
        if (_type is not null)
        {
            parts.Add($"--type {_type}");
        }

        if (_limit is { } limit)
        {
            parts.Add($"--limit {limit}");
        }

        return string.Join(' ', parts);
    }
}
