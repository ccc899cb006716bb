using Microsoft.Extensions.Configuration;

namespace Kbp.Sim.Models.Scenarios;

/// <summary>
/// What a <see cref="ScenarioReader"/> and its section readers share: the merged
/// configuration, the errors found, which keys were read (consumed), and which keys the
/// binding code asked for at each level (the keys "allowed here" for unknown-key messages).
/// </summary>
internal sealed class ReadState
{
    private readonly HashSet<string> _known = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _consumedSubtrees = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> _childrenByParent = new(StringComparer.OrdinalIgnoreCase);

    public ReadState(ScenarioSources sources)
    {
        Sources = sources;
        Configuration = sources.Configuration;
    }

    public ScenarioSources Sources { get; }

    public IConfiguration Configuration { get; }

    public List<ScenarioError> Errors { get; } = [];

    /// <summary>Keys read as values.</summary>
    public HashSet<string> Consumed { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Keys opened as sections or lists of sections (their keys are checked one by one).</summary>
    public HashSet<string> Sections { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Records that the binding code knows <paramref name="key"/> under <paramref name="parent"/>; returns the full key.</summary>
    public string Know(string parent, string key)
    {
        string full = ScenarioKeys.Combine(parent, key);
        string at = parent;
        foreach (string segment in ScenarioKeys.Normalize(key).Split(':'))
        {
            string next = at.Length == 0 ? segment : at + ":" + segment;
            if (_known.Add(next))
            {
                if (!_childrenByParent.TryGetValue(at, out List<string>? children))
                {
                    children = [];
                    _childrenByParent[at] = children;
                }

                children.Add(segment);
            }

            at = next;
        }

        return full;
    }

    /// <summary>Marks a key and everything below it as read (lists of numbers, values reported as malformed).</summary>
    public void ConsumeSubtree(string full)
    {
        Consumed.Add(full);
        _consumedSubtrees.Add(full);
    }

    /// <summary>The input that supplied the key or anything below it; the scenario file when none did.</summary>
    public string SourceOfSection(string full) => Sources.SourceOfSection(full) ?? Sources.PrimarySource;

    /// <summary>An error for each key given but never read: the topmost unknown segment, with the keys allowed beside it.</summary>
    public IEnumerable<ScenarioError> UnknownKeys()
    {
        var reported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var keys = Configuration.AsEnumerable().Select(p => p.Key).ToList();
        foreach (string key in keys.Order(StringComparer.OrdinalIgnoreCase))
        {
            if (Consumed.Contains(key) || ScenarioKeys.Ancestors(key).Any(_consumedSubtrees.Contains))
            {
                continue;
            }

            string? unknown = ScenarioKeys.Ancestors(key).Append(key).FirstOrDefault(k => !_known.Contains(k));
            if (unknown is not null)
            {
                if (reported.Add(unknown))
                {
                    string parent = ScenarioKeys.Parent(unknown);
                    IReadOnlyCollection<string> allowed = _childrenByParent.TryGetValue(parent, out List<string>? children) ? children : [];
                    yield return ScenarioError.UnknownKey(SourceOfSection(unknown), ScenarioKeys.Dotted(unknown), allowed);
                }

                continue;
            }

            string? value = Configuration[key];
            if (Sections.Contains(key) && !string.IsNullOrEmpty(value))
            {
                string allowed = _childrenByParent.TryGetValue(key, out List<string>? children) ? string.Join(", ", children) : "none";
                yield return new ScenarioError(
                    SourceOfSection(key),
                    [ScenarioKeys.Dotted(key)],
                    value,
                    $"{ScenarioError.Clean(SourceOfSection(key))}: key '{ScenarioKeys.Dotted(key)}': value '{ScenarioError.CleanValue(value)}' is invalid: expected a section with keys such as {allowed}");
            }
        }
    }
}
