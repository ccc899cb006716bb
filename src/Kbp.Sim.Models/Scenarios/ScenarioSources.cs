using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Kbp.Sim.Models.Scenarios;

/// <summary>
/// The layered configuration of one run, built with Microsoft.Extensions.Configuration:
/// built-in defaults &lt; calibration profile &lt; scenario file &lt; <c>--set key=value</c>.
/// A later layer overrides single keys of an earlier one, except that lists are replaced
/// whole: a list given in a file replaces the list of the layers below (rather than
/// overriding it item by item), and a plain value replaces a list below it
/// (<c>--set host.vcpuCpus=4-7</c> replaces a YAML list).
/// For every key it can say which input supplied the value, so that messages name it.
/// </summary>
public sealed partial class ScenarioSources
{
    private ScenarioSources(IReadOnlyList<ScenarioLayer> layers, string primarySource, string? scenarioPath, string? profilePath)
    {
        Layers = layers;
        PrimarySource = primarySource;
        ScenarioPath = scenarioPath;
        ProfilePath = profilePath;
        var builder = new ConfigurationBuilder();
        foreach (ScenarioLayer layer in layers)
        {
            builder.AddInMemoryCollection(layer.Values);
        }

        Configuration = builder.Build();
    }

    /// <summary>The merged configuration (keys ':' separated).</summary>
    public IConfigurationRoot Configuration { get; }

    /// <summary>The layers after the replacement rules, lowest precedence first.</summary>
    public IReadOnlyList<ScenarioLayer> Layers { get; }

    /// <summary>How messages name the scenario (the path as given): the source blamed for a missing key.</summary>
    public string PrimarySource { get; }

    /// <summary>The full path of the scenario file, or null when built from memory.</summary>
    public string? ScenarioPath { get; }

    /// <summary>The full path of the calibration profile used, or null when there is none.</summary>
    public string? ProfilePath { get; }

    /// <summary>
    /// Reads the scenario file, its profile (<paramref name="profilePath"/> if given, else the
    /// scenario's top-level <c>profile</c> key, relative to the scenario file) and the overrides,
    /// and layers them over <paramref name="defaults"/>.
    /// </summary>
    /// <param name="scenarioPath">The scenario file (.yaml, .yml or .json).</param>
    /// <param name="profilePath">The <c>--profile</c> file, or null.</param>
    /// <param name="setOverrides">The <c>--set</c> arguments, each <c>key.path=value</c>.</param>
    /// <param name="defaults">The built-in defaults (dotted or ':' keys).</param>
    /// <returns>The sources.</returns>
    /// <exception cref="ScenarioException">An input cannot be used; the message names it.</exception>
    public static ScenarioSources Load(
        string scenarioPath,
        string? profilePath,
        IReadOnlyList<string> setOverrides,
        IReadOnlyDictionary<string, string?> defaults)
    {
        ArgumentNullException.ThrowIfNull(scenarioPath);
        ArgumentNullException.ThrowIfNull(setOverrides);
        ArgumentNullException.ThrowIfNull(defaults);
        if (string.IsNullOrWhiteSpace(scenarioPath))
        {
            throw new ScenarioException(ScenarioError.Input("scenario", "no scenario file given: expected the path of a .yaml or .json file"));
        }

        IReadOnlyDictionary<string, string?> scenario = ScenarioFile.Read(scenarioPath, scenarioPath);
        ScenarioLayer? profile = ReadProfile(scenarioPath, scenario, profilePath, out string? profileFullPath);
        IReadOnlyDictionary<string, string?> overrides = ParseOverrides(setOverrides);

        var layers = new List<ScenarioLayer> { new(ScenarioLayerKind.Defaults, ScenarioError.DefaultsSource, Flatten(defaults)) };
        if (profile is not null)
        {
            layers.Add(profile);
        }

        layers.Add(new ScenarioLayer(ScenarioLayerKind.Scenario, scenarioPath, scenario));
        layers.Add(new ScenarioLayer(ScenarioLayerKind.Overrides, ScenarioError.SetSource, overrides));
        CheckProfileKey(layers);
        return new ScenarioSources(ApplyReplacementRules(layers), scenarioPath, Path.GetFullPath(scenarioPath), profileFullPath);
    }

    /// <summary>Layers inputs already in memory (tests, generated sweeps), lowest precedence first.</summary>
    /// <param name="layers">The layers; keys may be dotted or ':' separated.</param>
    /// <param name="primarySource">How to name the input a missing key belongs in.</param>
    /// <returns>The sources.</returns>
    public static ScenarioSources FromLayers(IEnumerable<ScenarioLayer> layers, string primarySource)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var normalized = layers.Select(l => l with { Values = Flatten(l.Values) }).ToList();
        return new ScenarioSources(ApplyReplacementRules(normalized), primarySource, null, null);
    }

    /// <summary>
    /// Parses <c>--set</c> arguments: <c>key.path=value</c>, list items as <c>.0</c>, <c>.1</c>;
    /// the value may be empty; a later override of the same key wins.
    /// </summary>
    /// <param name="setOverrides">The arguments.</param>
    /// <returns>Configuration keys and values.</returns>
    /// <exception cref="ScenarioException">An argument is not <c>key=value</c>.</exception>
    public static IReadOnlyDictionary<string, string?> ParseOverrides(IReadOnlyList<string> setOverrides)
    {
        ArgumentNullException.ThrowIfNull(setOverrides);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<ScenarioError>();
        foreach (string argument in setOverrides)
        {
            int equals = argument.IndexOf('=', StringComparison.Ordinal);
            string key = equals < 0 ? argument.Trim() : argument[..equals].Trim();
            if (equals < 0 || !KeyPath().IsMatch(key))
            {
                errors.Add(ScenarioError.Input(
                    ScenarioError.SetSource,
                    $"'{argument}' is not key=value: expected a dotted key path and a value, such as --set traffic.rate=2Gbps or --set host.vcpuCpus.0=4"));
                continue;
            }

            values[ScenarioKeys.Normalize(key)] = argument[(equals + 1)..].Trim();
        }

        return errors.Count > 0 ? throw new ScenarioException(errors) : values;
    }

    /// <summary>The name of the input that supplied a key's value (the highest layer that has it), or null.</summary>
    /// <param name="key">The key, dotted or ':' separated.</param>
    /// <returns>The source, or null when no layer has the key.</returns>
    public string? SourceOf(string key)
    {
        string normalized = ScenarioKeys.Normalize(key);
        for (int i = Layers.Count - 1; i >= 0; i--)
        {
            if (Layers[i].Values.ContainsKey(normalized))
            {
                return Layers[i].Source;
            }
        }

        return null;
    }

    /// <summary>The name of the input that supplied anything at or below a key, or null.</summary>
    /// <param name="key">The key, dotted or ':' separated.</param>
    /// <returns>The source of the highest layer with the key or a key below it.</returns>
    public string? SourceOfSection(string key)
    {
        string normalized = ScenarioKeys.Normalize(key);
        for (int i = Layers.Count - 1; i >= 0; i--)
        {
            foreach (string k in Layers[i].Values.Keys)
            {
                if (string.Equals(k, normalized, StringComparison.OrdinalIgnoreCase) || ScenarioKeys.IsBelow(k, normalized))
                {
                    return Layers[i].Source;
                }
            }
        }

        return null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]+([.:][A-Za-z0-9_-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPath();

    private static ScenarioLayer? ReadProfile(
        string scenarioPath,
        IReadOnlyDictionary<string, string?> scenario,
        string? profilePath,
        out string? fullPath)
    {
        fullPath = null;
        if (profilePath is not null)
        {
            if (string.IsNullOrWhiteSpace(profilePath))
            {
                throw new ScenarioException(ScenarioError.Input("--profile", "no file given: expected the path of a .yaml or .json calibration profile"));
            }

            fullPath = Path.GetFullPath(profilePath);
            return new ScenarioLayer(ScenarioLayerKind.Profile, profilePath, ScenarioFile.Read(profilePath, profilePath));
        }

        if (!scenario.TryGetValue("profile", out string? named) || string.IsNullOrWhiteSpace(named))
        {
            return null;
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(scenarioPath)) ?? ".";
        fullPath = Path.GetFullPath(Path.Combine(directory, named));
        string relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), fullPath);
        string display = relative.StartsWith("..", StringComparison.Ordinal) ? fullPath : relative;
        if (!File.Exists(fullPath) && !Directory.Exists(fullPath))
        {
            throw new ScenarioException(ScenarioError.InvalidValue(
                scenarioPath,
                "profile",
                named,
                $"expected a calibration profile file, relative to the scenario file; {display} does not exist"));
        }

        return new ScenarioLayer(ScenarioLayerKind.Profile, display, ScenarioFile.Read(fullPath, display));
    }

    /// <summary>Only the scenario file may name a profile: a profile naming another, or --set profile=, would be ignored silently.</summary>
    private static void CheckProfileKey(IReadOnlyList<ScenarioLayer> layers)
    {
        foreach (ScenarioLayer layer in layers)
        {
            if (layer.Kind is ScenarioLayerKind.Profile or ScenarioLayerKind.Overrides
                && layer.Values.TryGetValue("profile", out string? value))
            {
                string expected = layer.Kind == ScenarioLayerKind.Profile
                    ? "a profile cannot name another profile; only the scenario file has a 'profile' key"
                    : "the profile is chosen with --profile FILE, not --set";
                throw new ScenarioException(ScenarioError.InvalidValue(layer.Source, "profile", value ?? string.Empty, expected));
            }
        }
    }

    private static Dictionary<string, string?> Flatten(IReadOnlyDictionary<string, string?> values)
    {
        var flat = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, string?> pair in values)
        {
            flat[ScenarioKeys.Normalize(pair.Key)] = pair.Value;
        }

        return flat;
    }

    /// <summary>
    /// Makes a higher layer replace lists, not patch them item by item: (1) a non-empty value
    /// at K (or any value given with --set) removes the lower layers' list items under K;
    /// (2) any key below K removes a lower layer's non-empty value at K; (3) a list at K in a
    /// file removes the lower layers' items of the list at K. Sections (mappings) still merge
    /// key by key, so a mistake such as "traffic: 1Gbps" does not also hide the defaults.
    /// </summary>
    private static List<ScenarioLayer> ApplyReplacementRules(IReadOnlyList<ScenarioLayer> layers)
    {
        var copies = layers.Select(l => new Dictionary<string, string?>(l.Values, StringComparer.OrdinalIgnoreCase)).ToList();
        for (int upper = 1; upper < copies.Count; upper++)
        {
            bool isFile = layers[upper].Kind is ScenarioLayerKind.Profile or ScenarioLayerKind.Scenario;
            bool isOverride = layers[upper].Kind == ScenarioLayerKind.Overrides;
            var replacedLists = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var sections = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach ((string key, string? value) in copies[upper])
            {
                if (!string.IsNullOrEmpty(value) || (value is not null && isOverride))
                {
                    replacedLists.Add(key);
                }

                string[] segments = key.Split(':');
                for (int i = 1; i < segments.Length; i++)
                {
                    string ancestor = string.Join(':', segments[..i]);
                    sections.Add(ancestor);
                    if (isFile && ScenarioKeys.IsIndex(segments[i]))
                    {
                        replacedLists.Add(ancestor);
                    }
                }
            }

            for (int lower = 0; lower < upper; lower++)
            {
                Dictionary<string, string?> below = copies[lower];
                foreach (string key in below.Keys.ToList())
                {
                    string[] segments = key.Split(':');
                    bool isReplacedItem = Enumerable.Range(1, segments.Length - 1)
                        .Any(i => ScenarioKeys.IsIndex(segments[i]) && replacedLists.Contains(string.Join(':', segments[..i])));
                    bool isValueUnderSection = sections.Contains(key) && !string.IsNullOrEmpty(below[key]);
                    if (isReplacedItem || isValueUnderSection)
                    {
                        below.Remove(key);
                    }
                }
            }
        }

        return layers.Select((l, i) => l with { Values = copies[i] }).ToList();
    }
}
