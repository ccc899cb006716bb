using Microsoft.Extensions.Configuration;

namespace Kbp.Sim.Models.Scenarios;

/// <summary>
/// Typed, validating access to the merged configuration of a scenario. Each accessor takes
/// a key relative to this reader's section, parses the value with <see cref="Units"/>,
/// checks its range, and on failure records a <see cref="ScenarioError"/> naming the input
/// that supplied the value (scenario file, profile, <c>--set</c>, defaults), the full key
/// path, the value and what is allowed, then returns a placeholder so binding goes on and
/// every problem is found in one pass. A <c>null</c> default means the key is required.
/// Every key read is marked consumed; <see cref="ThrowIfInvalid"/> then reports keys that
/// were given but never read as unknown, listing the keys allowed beside them.
/// </summary>
public sealed partial class ScenarioReader
{
    private readonly ReadState _state;
    private readonly string _prefix;

    /// <summary>Creates a reader at the top of the merged configuration.</summary>
    /// <param name="sources">The layered inputs.</param>
    public ScenarioReader(ScenarioSources sources)
        : this(new ReadState(sources), string.Empty)
    {
    }

    private ScenarioReader(ReadState state, string prefix)
    {
        _state = state;
        _prefix = prefix;
    }

    /// <summary>The dotted path of this reader's section ("" at the top).</summary>
    public string Path => ScenarioKeys.Dotted(_prefix);

    /// <summary>The inputs read.</summary>
    public ScenarioSources Sources => _state.Sources;

    /// <summary>Every problem recorded so far (unknown keys are added by <see cref="ThrowIfInvalid"/>).</summary>
    public IReadOnlyList<ScenarioError> Errors => _state.Errors;

    /// <summary>A reader for a nested section (a mapping). The section may be absent: its keys then take their defaults.</summary>
    /// <param name="key">The section's key relative to this reader.</param>
    /// <returns>The reader.</returns>
    public ScenarioReader Section(string key)
    {
        string full = _state.Know(_prefix, key);
        _state.Sections.Add(full);
        return new ScenarioReader(_state, full);
    }

    /// <summary>Readers for the items of a list of sections (<c>- name: x</c>), in list order; empty when absent.</summary>
    /// <param name="key">The list's key relative to this reader.</param>
    /// <returns>One reader per item.</returns>
    public IReadOnlyList<ScenarioReader> Items(string key)
    {
        string full = _state.Know(_prefix, key);
        _state.Sections.Add(full);
        IConfigurationSection section = _state.Configuration.GetSection(full);
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            if (!string.IsNullOrEmpty(section.Value))
            {
                _state.ConsumeSubtree(full);
                Invalid(key, "expected a list of sections, one per item ('- name: ...')");
            }

            return [];
        }

        if (children.Any(c => !ScenarioKeys.IsIndex(c.Key)))
        {
            _state.ConsumeSubtree(full);
            _state.Errors.Add(new ScenarioError(
                _state.SourceOfSection(full),
                [ScenarioKeys.Dotted(full)],
                null,
                $"{ScenarioError.Clean(_state.SourceOfSection(full))}: key '{ScenarioKeys.Dotted(full)}': expected a list of sections ('- name: ...'), found a single section"));
            return [];
        }

        var items = new List<ScenarioReader>(children.Count);
        foreach (IConfigurationSection child in children)
        {
            string itemPath = _state.Know(full, child.Key);
            _state.Sections.Add(itemPath);
            items.Add(new ScenarioReader(_state, itemPath));
        }

        return items;
    }

    /// <summary>True when some input gives the key a value or keys below it. Marks the key as allowed, not as read.</summary>
    /// <param name="key">The key relative to this reader.</param>
    /// <returns>Whether the key is present.</returns>
    public bool Has(string key)
    {
        IConfigurationSection section = _state.Configuration.GetSection(_state.Know(_prefix, key));
        return !string.IsNullOrEmpty(section.Value) || section.GetChildren().Any();
    }

    /// <summary>Records that a key's current value is not allowed (for checks the typed accessors cannot make).</summary>
    /// <param name="key">The key relative to this reader.</param>
    /// <param name="expected">What is allowed, with an example, beginning "expected ...".</param>
    public void Invalid(string key, string expected)
    {
        string full = ScenarioKeys.Combine(_prefix, key);
        string value = _state.Configuration[full] ?? string.Empty;
        _state.Errors.Add(ScenarioError.InvalidValue(_state.SourceOfSection(full), ScenarioKeys.Dotted(full), value, expected));
    }

    /// <summary>
    /// Records that two keys, each valid, do not fit together. The message names the input
    /// that supplied the first key if a user did, else that of the second, else the scenario.
    /// </summary>
    /// <param name="key">The first key, relative to this reader.</param>
    /// <param name="otherKey">The second key, a full dotted path from the top.</param>
    /// <param name="problem">What is wrong and what is allowed, naming the values.</param>
    public void Conflict(string key, string otherKey, string problem)
    {
        string full = ScenarioKeys.Combine(_prefix, key);
        string other = ScenarioKeys.Normalize(otherKey);
        string source = UserSource(full) ?? UserSource(other) ?? _state.Sources.PrimarySource;
        _state.Errors.Add(ScenarioError.Conflict(source, ScenarioKeys.Dotted(full), ScenarioKeys.Dotted(other), problem));
    }

    /// <summary>The input that supplied a key (or anything below it), or the scenario file when none did.</summary>
    /// <param name="key">The key relative to this reader.</param>
    /// <returns>The source name.</returns>
    public string SourceOf(string key) => _state.SourceOfSection(ScenarioKeys.Combine(_prefix, key));

    /// <summary>
    /// Finishes binding: adds an error for every key given but never read (listing the keys
    /// allowed beside it; unknown keys come first, since they often explain the rest) and
    /// throws if there is any error.
    /// </summary>
    /// <exception cref="ScenarioException">There was at least one problem.</exception>
    public void ThrowIfInvalid()
    {
        IReadOnlyList<ScenarioError> all = AllErrors();
        if (all.Count > 0)
        {
            throw new ScenarioException(all);
        }
    }

    /// <summary>Every problem: unknown keys first, then the errors recorded while reading, in reading order.</summary>
    /// <returns>The errors; empty when the input is valid.</returns>
    public IReadOnlyList<ScenarioError> AllErrors()
    {
        var unknown = _state.UnknownKeys().ToList();

        // A value given where a section belongs ("traffic: 1Gbps") hides the defaults below it;
        // the "required" errors that follow from that would only repeat the first problem.
        var replacedSections = unknown.Where(e => e.Value is not null).Select(e => ScenarioKeys.Normalize(e.KeyPath!)).ToList();
        var rest = _state.Errors.Where(e => e.Value is not null || e.KeyPath is null
            || !replacedSections.Any(s => ScenarioKeys.IsBelow(ScenarioKeys.Normalize(e.KeyPath), s)));
        return [.. unknown, .. rest];
    }

    /// <summary>"OneWay" becomes "one-way".</summary>
    internal static string KebabName(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }

    private string? UserSource(string full)
    {
        string? source = _state.Sources.SourceOfSection(full);
        return source is null or ScenarioError.DefaultsSource ? null : source;
    }

    /// <summary>
    /// The raw text of a key, marked consumed. Absent (or empty, unless <paramref name="emptyIsValue"/>):
    /// null, with a "required" error when there is no default. A section where a value belongs: an error.
    /// </summary>
    private string? ReadText(string key, string expected, bool hasDefault, out bool present, bool emptyIsValue = false)
    {
        string full = _state.Know(_prefix, key);
        _state.Consumed.Add(full);
        IConfigurationSection section = _state.Configuration.GetSection(full);
        string? text = section.Value;
        present = false;
        if (string.IsNullOrEmpty(text) && section.GetChildren().Any())
        {
            _state.ConsumeSubtree(full);
            string source = _state.SourceOfSection(full);
            string keys = string.Join(", ", section.GetChildren().Select(c => c.Key));
            _state.Errors.Add(new ScenarioError(
                source,
                [ScenarioKeys.Dotted(full)],
                null,
                $"{ScenarioError.Clean(source)}: key '{ScenarioKeys.Dotted(full)}': found a section ({ScenarioError.CleanValue(keys)}) where a single value belongs: {expected}"));
            return null;
        }

        if (text is null || (text.Length == 0 && !emptyIsValue))
        {
            if (!hasDefault)
            {
                _state.Errors.Add(ScenarioError.Missing(_state.Sources.PrimarySource, ScenarioKeys.Dotted(full), expected));
            }

            return null;
        }

        present = true;
        return text;
    }
}
