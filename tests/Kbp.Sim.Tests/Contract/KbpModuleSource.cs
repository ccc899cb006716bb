using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kbp.Sim.Tests.Contract;

/// <summary>A module parameter as kbp.c declares it.</summary>
/// <param name="Name">The parameter's name (insmod NAME=value).</param>
/// <param name="Variable">The C variable behind it.</param>
/// <param name="Default">Its static initializer as the parameter's text: a string's contents, an integer in decimal.</param>
/// <param name="Minimum">The smallest value kbp_parse_params() accepts, if it checks a range.</param>
/// <param name="Maximum">The largest value it accepts, if it checks a range.</param>
/// <param name="Words">The words it compares the parameter with (sysfs_streq), in source order.</param>
internal sealed record ModuleParameterDecl(string Name, string Variable, string Default, long? Minimum, long? Maximum, IReadOnlyList<string> Words);

/// <summary>
/// Reads the module parameters of a kernel module's C source: the <c>module_param</c>,
/// <c>module_param_named</c> and <c>module_param_string</c> declarations, the static
/// initializer of each variable, the range checks written <c>v &lt; LO || v &gt; HI</c>, and the
/// words compared with <c>sysfs_streq(v, "word")</c>. Not a C parser: it reads the forms
/// kbp.c uses and reports anything else it cannot read as an error rather than guessing.
/// </summary>
internal static partial class KbpModuleSource
{
    /// <summary>Kernel constants the range checks may use (include/linux/sched/prio.h).</summary>
    private static readonly Dictionary<string, long> KernelConstants = new(StringComparer.Ordinal)
    {
        ["MAX_RT_PRIO"] = 100,
    };

    /// <summary>The parameters of <paramref name="source"/>, and what could not be read.</summary>
    public static (IReadOnlyList<ModuleParameterDecl> Parameters, IReadOnlyList<string> Errors) Parse(string source)
    {
        string code = StripComments(source);
        var errors = new List<string>();
        var macros = new Dictionary<string, long>(KernelConstants, StringComparer.Ordinal);
        foreach (Match m in Define().Matches(code))
        {
            if (TryInteger(m.Groups[2].Value.Trim(), out long value))
            {
                macros[m.Groups[1].Value] = value;
            }
        }

        var declared = new List<(string Name, string Variable, int At)>();
        foreach (Match m in AnyModuleParam().Matches(code))
        {
            string macro = m.Groups[1].Value;
            string[] args = m.Groups[2].Value.Split(',').Select(a => a.Trim()).ToArray();
            switch (macro)
            {
                case "module_param" when args.Length == 3:
                    declared.Add((args[0], args[0], m.Index));
                    break;
                case "module_param_named" when args.Length == 4:
                case "module_param_string" when args.Length == 4:
                    declared.Add((args[0], args[1], m.Index));
                    break;
                default:
                    errors.Add($"cannot read '{m.Value}'");
                    break;
            }
        }

        var parameters = new List<ModuleParameterDecl>();
        foreach ((string name, string variable, _) in declared)
        {
            string? initializer = Initializer(code, variable, errors);
            if (initializer is null)
            {
                continue;
            }

            (long? min, long? max) = Range(code, variable, macros, errors);
            List<string> words = Words(variable).Matches(code).Select(w => w.Groups[1].Value).Distinct().ToList();
            parameters.Add(new ModuleParameterDecl(name, variable, initializer, min, max, words));
        }

        return (parameters, errors);
    }

    /// <summary>The static initializer of <paramref name="variable"/> as text; C's zero initialization when it has none.</summary>
    private static string? Initializer(string code, string variable, List<string> errors)
    {
        var declaration = new Regex(
            @"^\s*static\s+(?:const\s+)?(?<type>[A-Za-z_][\w\s\*]*?)\s*\b" + Regex.Escape(variable) +
            @"\s*(?<array>\[[^\]]*\])?\s*(?:=\s*(?<init>""(?:[^""\\]|\\.)*""|[^;]+?))?\s*;",
            RegexOptions.Multiline);
        Match[] found = declaration.Matches(code).ToArray();
        if (found.Length != 1)
        {
            errors.Add($"'{variable}': expected one static definition, found {found.Length}");
            return null;
        }

        Group init = found[0].Groups["init"];
        string type = found[0].Groups["type"].Value;
        if (!init.Success)
        {
            return found[0].Groups["array"].Success ? string.Empty : type.Contains("bool", StringComparison.Ordinal) ? "false" : "0";
        }

        string text = init.Value.Trim();
        if (text.StartsWith('"'))
        {
            return Regex.Unescape(text[1..^1]);
        }

        if (TryInteger(text, out long number))
        {
            return number.ToString(CultureInfo.InvariantCulture);
        }

        if (text is "true" or "false")
        {
            return text;
        }

        errors.Add($"'{variable}': cannot read the initializer '{text}'");
        return null;
    }

    /// <summary>The bounds of a check written <c>v &lt; LO || v &gt; HI</c>; none when there is no such check.</summary>
    private static (long? Min, long? Max) Range(string code, string variable, Dictionary<string, long> macros, List<string> errors)
    {
        Match[] checks = RangeCheck(variable).Matches(code).ToArray();
        if (checks.Length == 0)
        {
            return (null, null);
        }

        if (checks.Length > 1)
        {
            errors.Add($"'{variable}': {checks.Length} range checks; expected one");
            return (null, null);
        }

        long? min = Evaluate(checks[0].Groups["lo"].Value, macros, errors);
        long? max = Evaluate(checks[0].Groups["hi"].Value, macros, errors);
        return (min, max);
    }

    /// <summary>An integer expression of literals and macros joined by + and -.</summary>
    private static long? Evaluate(string expression, Dictionary<string, long> macros, List<string> errors)
    {
        long total = 0;
        int sign = 1;
        foreach (Match token in Token().Matches(expression))
        {
            string t = token.Value;
            if (t == "+" || t == "-")
            {
                sign = t == "-" ? -1 : 1;
                continue;
            }

            if (TryInteger(t, out long literal))
            {
                total += sign * literal;
            }
            else if (macros.TryGetValue(t, out long value))
            {
                total += sign * value;
            }
            else
            {
                errors.Add($"cannot evaluate '{expression.Trim()}': '{t}' is unknown");
                return null;
            }
        }

        return total;
    }

    private static bool TryInteger(string text, out long value)
    {
        text = text.Trim().TrimEnd('U', 'u', 'L', 'l');
        return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(text[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
            : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Removes /* */ and // comments, keeping string and character literals intact.</summary>
    private static string StripComments(string source)
    {
        var text = new StringBuilder(source.Length);
        for (int i = 0; i < source.Length; i++)
        {
            char c = source[i];
            if (c == '"' || c == '\'')
            {
                int start = i;
                for (i++; i < source.Length && source[i] != c; i++)
                {
                    if (source[i] == '\\')
                    {
                        i++;
                    }
                }

                text.Append(source, start, Math.Min(i, source.Length - 1) - start + 1);
            }
            else if (c == '/' && i + 1 < source.Length && source[i + 1] == '*')
            {
                int end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? source.Length : end + 1;
                text.Append(' ');
            }
            else if (c == '/' && i + 1 < source.Length && source[i + 1] == '/')
            {
                int end = source.IndexOf('\n', i);
                i = end < 0 ? source.Length : end - 1;
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    private static Regex RangeCheck(string variable)
    {
        string v = Regex.Escape(variable);
        return new Regex($@"\b{v}\s*<\s*(?<lo>[^|&()]+?)\s*\|\|\s*{v}\s*>\s*(?<hi>[^|&()]+?)\s*\)");
    }

    private static Regex Words(string variable) => new($@"\bsysfs_streq\s*\(\s*(?:strim\s*\(\s*)?{Regex.Escape(variable)}\s*\)?\s*,\s*""([^""]*)""\s*\)");

    [GeneratedRegex(@"^\s*#\s*define\s+([A-Za-z_]\w*)\s+(.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex Define();

    [GeneratedRegex(@"\b(module_param\w*)\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)")]
    private static partial Regex AnyModuleParam();

    [GeneratedRegex(@"[A-Za-z_]\w*|0[xX][0-9a-fA-F]+|\d+|[+-]")]
    private static partial Regex Token();
}
