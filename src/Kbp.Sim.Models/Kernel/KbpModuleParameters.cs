using System.Globalization;
using System.Reflection;
using System.Text;

namespace Kbp.Sim.Models.Kernel;

/// <summary>One knob of <see cref="KbpOptions"/> that is a parameter of kernel-module/kbp.c.</summary>
/// <param name="Property">The options property.</param>
/// <param name="Attribute">Its module name, scenario key and accepted range.</param>
public sealed record KbpModuleParameter(PropertyInfo Property, ModuleParameterAttribute Attribute)
{
    /// <summary>The module parameter's name.</summary>
    public string Name => Attribute.Name;

    /// <summary>
    /// The words the module accepts for an enum-valued parameter, in the module's spelling
    /// (idle_mode: busy, sleep; policy: normal, fifo, rr); null for numbers and CPU lists.
    /// </summary>
    public IReadOnlyList<string>? Words => Property.PropertyType.IsEnum
        ? Enum.GetValues(Property.PropertyType).Cast<object>().Select(KbpModuleParameters.FormatValue).ToList()
        : null;

    /// <summary>The value of this knob in <paramref name="options"/>, written as the module's load line would.</summary>
    public string ValueIn(KbpOptions options) => KbpModuleParameters.FormatValue(Property.GetValue(options));
}

/// <summary>
/// The simulator's side of the contract with kernel-module/kbp.c: which <see cref="KbpOptions"/>
/// properties are module parameters, and their values in the module's words. Enum values are
/// the lower-case words kbp.c compares with <c>sysfs_streq</c>, written out here one by one
/// because one differs: the model's <see cref="SchedPolicy.Fair"/> is the module's
/// <c>normal</c> (SCHED_NORMAL). CPU sets are kernel CPU lists (<c>0,2-3</c>).
/// </summary>
public static class KbpModuleParameters
{
    /// <summary>The knobs that are module parameters, in declaration order.</summary>
    public static IReadOnlyList<KbpModuleParameter> All { get; } = typeof(KbpOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .OrderBy(p => p.MetadataToken)
        .Select(p => (Property: p, Attribute: p.GetCustomAttribute<ModuleParameterAttribute>()))
        .Where(p => p.Attribute is not null)
        .Select(p => new KbpModuleParameter(p.Property, p.Attribute!))
        .ToList();

    /// <summary>The module parameters of <paramref name="options"/> as an insmod line: <c>cpus=0 weight=64 idle_mode=busy policy=fifo priority=50</c>.</summary>
    public static string LoadLine(KbpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.Join(' ', All.Select(p => $"{p.Name}={p.ValueIn(options)}"));
    }

    /// <summary>
    /// <paramref name="baseline"/> with the module parameters in <paramref name="values"/>
    /// (name to text, as a load line or the statistics file's <c>params</c> line writes them)
    /// applied; names that are not module parameters are ignored. Integers are not range-checked:
    /// the statistics file writes <c>priority=0</c> for <c>policy=normal</c>.
    /// </summary>
    /// <returns>False, with <paramref name="error"/> naming the parameter, when a value does not parse.</returns>
    public static bool TryApply(KbpOptions baseline, IReadOnlyDictionary<string, string> values, out KbpOptions result, out string? error)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(values);
        result = baseline with { };
        error = null;
        foreach (KbpModuleParameter p in All)
        {
            if (!values.TryGetValue(p.Name, out string? text))
            {
                continue;
            }

            if (!TryParseValue(p.Property.PropertyType, text, out object? value))
            {
                error = $"{p.Name}={text} is not {Expected(p)}";
                result = baseline;
                return false;
            }

            p.Property.SetValue(result, value);
        }

        return true;
    }

    /// <summary>The module's word for an idle mode.</summary>
    public static string Word(KbpIdleMode mode) => mode switch
    {
        KbpIdleMode.Busy => "busy",
        KbpIdleMode.Sleep => "sleep",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };

    /// <summary>The module's word for a scheduling policy: the model's Fair is SCHED_NORMAL, <c>normal</c>.</summary>
    public static string Word(SchedPolicy policy) => policy switch
    {
        SchedPolicy.Fair => "normal",
        SchedPolicy.Fifo => "fifo",
        SchedPolicy.Rr => "rr",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
    };

    /// <summary>The idle mode the module's word names (busy, sleep).</summary>
    public static bool TryParseIdleMode(string word, out KbpIdleMode mode) => TryParseWord(word, out mode);

    /// <summary>The policy the module's word names (fifo, rr, normal).</summary>
    public static bool TryParsePolicy(string word, out SchedPolicy policy) => TryParseWord(word, out policy);

    /// <summary>A CPU set as a kernel CPU list (<c>cpulist_parse</c>'s syntax, <c>%*pbl</c>'s output): <c>0,2-3</c>.</summary>
    public static string FormatCpuList(IEnumerable<int> cpus)
    {
        ArgumentNullException.ThrowIfNull(cpus);
        int[] sorted = cpus.Distinct().Order().ToArray();
        var text = new StringBuilder();
        for (int i = 0; i < sorted.Length;)
        {
            int j = i;
            while (j + 1 < sorted.Length && sorted[j + 1] == sorted[j] + 1)
            {
                j++;
            }

            text.Append(text.Length > 0 ? "," : string.Empty)
                .Append(sorted[i].ToString(CultureInfo.InvariantCulture));
            if (j > i)
            {
                text.Append('-').Append(sorted[j].ToString(CultureInfo.InvariantCulture));
            }

            i = j + 1;
        }

        return text.ToString();
    }

    /// <summary>Parses a kernel CPU list (<c>0</c>, <c>0,2-3</c>); false on anything else, an empty list included.</summary>
    public static bool TryParseCpuList(string text, out IReadOnlyList<int> cpus)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new SortedSet<int>();
        cpus = [];
        foreach (string part in text.Trim().Split(','))
        {
            string[] range = part.Split('-');
            if (range.Length > 2
                || !int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out int first)
                || !int.TryParse(range[^1], NumberStyles.None, CultureInfo.InvariantCulture, out int last)
                || last < first || last - first > 4096)
            {
                return false;
            }

            for (int cpu = first; cpu <= last; cpu++)
            {
                list.Add(cpu);
            }
        }

        cpus = list.ToList();
        return cpus.Count > 0;
    }

    /// <summary>A knob's value in the module's words.</summary>
    internal static string FormatValue(object? value) => value switch
    {
        int i => i.ToString(CultureInfo.InvariantCulture),
        IEnumerable<int> cpus => FormatCpuList(cpus),
        KbpIdleMode mode => Word(mode),
        SchedPolicy policy => Word(policy),
        _ => throw new NotSupportedException($"no module spelling for a {value?.GetType().Name ?? "null"}"),
    };

    private static bool TryParseValue(Type type, string text, out object? value)
    {
        value = null;
        if (type == typeof(int))
        {
            bool ok = int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int number);
            value = number;
            return ok;
        }

        if (type == typeof(IReadOnlyList<int>))
        {
            bool ok = TryParseCpuList(text, out IReadOnlyList<int> cpus);
            value = cpus;
            return ok;
        }

        if (type == typeof(KbpIdleMode))
        {
            bool ok = TryParseIdleMode(text, out KbpIdleMode mode);
            value = mode;
            return ok;
        }

        if (type == typeof(SchedPolicy))
        {
            bool ok = TryParsePolicy(text, out SchedPolicy policy);
            value = policy;
            return ok;
        }

        throw new NotSupportedException($"no module spelling for a {type.Name}");
    }

    private static string Expected(KbpModuleParameter p) => p.Words is { } words
        ? "one of " + string.Join(", ", words)
        : p.Property.PropertyType == typeof(int) ? "an integer" : "a CPU list such as 0,2-3";

    private static bool TryParseWord<TEnum>(string word, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (TEnum candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(FormatValue(candidate), word?.Trim(), StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
