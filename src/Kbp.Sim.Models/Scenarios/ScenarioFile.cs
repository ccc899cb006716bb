using System.Text.Json;
using System.Text;
using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kbp.Sim.Models.Scenarios;

/// <summary>
/// Reads one scenario or profile file, YAML (<c>.yaml</c>, <c>.yml</c>) or JSON (<c>.json</c>),
/// into flat configuration keys (<c>traffic:rate</c>) through Microsoft.Extensions.Configuration.
/// Every way a file can be unusable becomes one <see cref="ScenarioError"/> naming the file:
/// unknown extension, missing, a directory, unreadable, empty, malformed (with the parser's
/// line and column), not a mapping at the top, or a key given twice.
/// </summary>
public static class ScenarioFile
{
    /// <summary>The file extensions understood, lower case, with the dot.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".yaml", ".yml", ".json"];

    /// <summary>Reads a file into flat keys (':' separated, dots in keys also taken as separators).</summary>
    /// <param name="path">The path to open.</param>
    /// <param name="displayName">How to name the file in messages (the path as the user wrote it).</param>
    /// <returns>The keys and values, case-insensitive, in file order.</returns>
    /// <exception cref="ScenarioException">The file cannot be used; the message names it.</exception>
    public static IReadOnlyDictionary<string, string?> Read(string path, string displayName)
    {
        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (!Extensions.Contains(extension))
        {
            string shown = extension.Length == 0 ? "no extension" : $"unknown file type '{extension}'";
            throw Fail(displayName, $"{shown}: scenario and profile files end in .yaml, .yml or .json");
        }

        string text = ReadText(path, displayName);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Fail(displayName, "the file is empty: expected keys such as 'topology: vm' and 'traffic: { rate: 1Gbps, frameSize: 1518B }'");
        }

        IConfigurationRoot root = extension == ".json" ? LoadJson(text, displayName) : LoadYaml(text, displayName);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, string?> pair in root.AsEnumerable())
        {
            values[ScenarioKeys.Normalize(pair.Key)] = pair.Value;
        }

        return values;
    }

    private static string ReadText(string path, string displayName)
    {
        if (Directory.Exists(path))
        {
            throw Fail(displayName, "is a directory, not a file");
        }

        try
        {
            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Fail(displayName, "file not found");
        }
        catch (UnauthorizedAccessException)
        {
            throw Fail(displayName, "cannot be read: permission denied");
        }
        catch (Exception e) when (e is IOException or System.Security.SecurityException or NotSupportedException or ArgumentException)
        {
            throw Fail(displayName, $"cannot be read: {e.Message}");
        }
    }

    private static IConfigurationRoot LoadJson(string text, string displayName)
    {
        try
        {
            return new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(text))).Build();
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidDataException)
        {
            JsonException? json = Find<JsonException>(e);
            if (json is not null)
            {
                long line = (json.LineNumber ?? 0) + 1;
                long column = (json.BytePositionInLine ?? 0) + 1;
                throw Fail(displayName, $"malformed JSON at line {line}, column {column}: {FirstSentence(json.Message)}");
            }

            throw Fail(displayName, $"malformed JSON: {FirstSentence(e.Message)}");
        }
    }

    private static IConfigurationRoot LoadYaml(string text, string displayName)
    {
        CheckYaml(text, displayName);
        try
        {
            return new ConfigurationBuilder().AddYamlStream(new MemoryStream(Encoding.UTF8.GetBytes(text))).Build();
        }
        catch (Exception e) when (e is FormatException or YamlException or InvalidCastException or InvalidDataException)
        {
            // The pre-check below catches what it can with a line number; this is the rest.
            throw Fail(displayName, $"malformed YAML: {FirstSentence(Innermost(e).Message)}");
        }
    }

    /// <summary>
    /// Parses the YAML with YamlDotNet before the configuration provider does, because the
    /// provider loses the line number (and for some syntax errors, the message).
    /// </summary>
    private static void CheckYaml(string text, string displayName)
    {
        var parser = new Parser(new StringReader(text));
        Mark last = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                last = parser.Current!.End;
            }
        }
        catch (YamlException e)
        {
            // YamlDotNet places a tab in the indentation at the start of its mapping; point at the tab.
            long line = e.Message.Contains(" tab ", StringComparison.Ordinal) ? FirstTabIndentedLine(text) ?? e.Start.Line : e.Start.Line;
            string column = line == e.Start.Line ? $", column {e.Start.Column}" : string.Empty;
            throw Fail(displayName, $"malformed YAML at line {line}{column}: {FirstSentence(e.Message)}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // YamlDotNet 13 throws a bare Exception for some scanner errors; say where it got to.
            throw Fail(displayName, $"malformed YAML after line {Math.Max(1, last.Line)}: a list or mapping is not closed, or a value is malformed");
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            string? duplicate = e.InnerException?.Message is string inner && inner.Contains("Key: ", StringComparison.Ordinal)
                ? inner[(inner.LastIndexOf("Key: ", StringComparison.Ordinal) + 5)..].Trim()
                : null;
            string problem = !e.Message.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase) ? FirstSentence(e.Message)
                : duplicate is null ? "a key is given twice"
                : $"key '{duplicate}' is given twice";
            throw Fail(displayName, $"malformed YAML at line {e.Start.Line}, column {e.Start.Column}: {problem}");
        }

        if (stream.Documents.Count == 0)
        {
            throw Fail(displayName, "the file is empty (only comments): expected keys such as 'topology: vm'");
        }

        if (stream.Documents.Count > 1)
        {
            throw Fail(displayName, $"holds {stream.Documents.Count} YAML documents ('---'); a scenario is one document");
        }

        YamlNode top = stream.Documents[0].RootNode;
        if (top is not YamlMappingNode mapping)
        {
            string found = top is YamlSequenceNode ? "a list" : "a single value";
            throw Fail(displayName, $"expected keys at the top level (such as 'topology: vm'), found {found} at line {top.Start.Line}");
        }

        CheckDuplicateKeys(mapping, string.Empty, displayName);
    }

    /// <summary>Keys are case-insensitive, so 'Rate' and 'rate' in one mapping are the same key given twice.</summary>
    private static void CheckDuplicateKeys(YamlNode node, string path, string displayName)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                foreach (KeyValuePair<YamlNode, YamlNode> child in mapping.Children)
                {
                    string key = child.Key is YamlScalarNode scalar ? scalar.Value ?? string.Empty : child.Key.ToString();
                    string childPath = path.Length == 0 ? key : path + "." + key;
                    if (!seen.Add(key))
                    {
                        throw Fail(displayName, $"key '{childPath}' is given twice (second time at line {child.Key.Start.Line}; keys are case-insensitive)");
                    }

                    CheckDuplicateKeys(child.Value, childPath, displayName);
                }

                break;
            case YamlSequenceNode sequence:
                int index = 0;
                foreach (YamlNode item in sequence.Children)
                {
                    CheckDuplicateKeys(item, $"{path}.{index++}", displayName);
                }

                break;
        }
    }

    private static long? FirstTabIndentedLine(string text)
    {
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string indentation = lines[i][..(lines[i].Length - lines[i].TrimStart().Length)];
            if (indentation.Contains('\t', StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        return null;
    }

    private static ScenarioException Fail(string displayName, string problem) =>
        new(ScenarioError.Input(displayName, problem));

    private static T? Find<T>(Exception e)
        where T : Exception
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    /// <summary>Parser messages sometimes carry a second sentence with positions we already give; keep the first line.</summary>
    private static string FirstSentence(string message)
    {
        string line = message.Split('\n')[0].Trim();
        int cut = line.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? line[..cut] : line).TrimEnd('.', ' ');
    }
}
