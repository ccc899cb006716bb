namespace Kbp.Sim.Models.Scenarios;

/// <summary>
/// Key paths: users write <c>traffic.rate</c> and <c>interference.host.0.cpu</c>;
/// Microsoft.Extensions.Configuration stores <c>traffic:rate</c>. Keys are case-insensitive.
/// </summary>
internal static class ScenarioKeys
{
    /// <summary>The configuration form of a key path: dots become ':'.</summary>
    public static string Normalize(string key) => key.Replace('.', ':');

    /// <summary>The form shown to users: ':' becomes a dot.</summary>
    public static string Dotted(string key) => key.Replace(':', '.');

    /// <summary>Joins a parent path and a child key (either may be dotted).</summary>
    public static string Combine(string parent, string key) =>
        parent.Length == 0 ? Normalize(key) : parent + ":" + Normalize(key);

    /// <summary>The parent path of a configuration key, or "" at the top.</summary>
    public static string Parent(string key)
    {
        int cut = key.LastIndexOf(':');
        return cut < 0 ? string.Empty : key[..cut];
    }

    /// <summary>The last segment of a configuration key.</summary>
    public static string Leaf(string key) => key[(key.LastIndexOf(':') + 1)..];

    /// <summary>True when <paramref name="key"/> lies strictly below <paramref name="ancestor"/>.</summary>
    public static bool IsBelow(string key, string ancestor) =>
        ancestor.Length == 0
            ? key.Length > 0
            : key.Length > ancestor.Length + 1
              && key.StartsWith(ancestor, StringComparison.OrdinalIgnoreCase)
              && key[ancestor.Length] == ':';

    /// <summary>True when a segment is a list index (digits only).</summary>
    public static bool IsIndex(string segment) => segment.Length > 0 && segment.All(char.IsAsciiDigit);

    /// <summary>Every proper ancestor of a key, nearest last ("a:b:c" gives "a", "a:b").</summary>
    public static IEnumerable<string> Ancestors(string key)
    {
        for (int i = key.IndexOf(':'); i >= 0; i = key.IndexOf(':', i + 1))
        {
            yield return key[..i];
        }
    }
}
