using Kbp.Sim.Models.Kernel;

namespace Kbp.Sim.Tests.Contract;

/// <summary>A knob as the simulator has it, in the module's words.</summary>
/// <param name="Name">Its module parameter name.</param>
/// <param name="Default">Its default, as the module's load line would write it.</param>
/// <param name="Minimum">The smallest value the simulator accepts, if bounded.</param>
/// <param name="Maximum">The largest value the simulator accepts, if bounded.</param>
/// <param name="Words">The words of an enum-valued knob; null otherwise.</param>
/// <param name="IsCpuList">True for a CPU list (compared as a set; the module's <c>all</c> is module-only).</param>
internal sealed record SimulatorKnob(string Name, string Default, long? Minimum, long? Maximum, IReadOnlyList<string>? Words, bool IsCpuList);

/// <summary>The comparison of the module's parameters with the simulator's knobs, in both directions.</summary>
internal static class KbpContract
{
    /// <summary>
    /// The simulator's knobs from the code: every <see cref="KbpOptions"/> property marked
    /// <see cref="ModuleParameterAttribute"/>, with its value in <paramref name="options"/>.
    /// </summary>
    public static IReadOnlyList<SimulatorKnob> Knobs(KbpOptions options) => KbpModuleParameters.All
        .Select(p => new SimulatorKnob(
            p.Name,
            p.ValueIn(options),
            p.Attribute.Minimum == int.MinValue ? null : p.Attribute.Minimum,
            p.Attribute.Maximum == int.MaxValue ? null : p.Attribute.Maximum,
            p.Words,
            p.Property.PropertyType == typeof(IReadOnlyList<int>)))
        .ToList();

    /// <summary>Every difference between the module's parameters and the simulator's knobs; empty when they agree.</summary>
    public static IReadOnlyList<string> Mismatches(IReadOnlyList<ModuleParameterDecl> module, IReadOnlyList<SimulatorKnob> simulator, string simulatorSide = "KbpOptions")
    {
        var problems = new List<string>();
        var byName = simulator.ToDictionary(k => k.Name, StringComparer.Ordinal);
        foreach (ModuleParameterDecl m in module.Where(m => !byName.ContainsKey(m.Name)))
        {
            problems.Add($"kbp.c parameter '{m.Name}' has no {simulatorSide} knob");
        }

        var moduleNames = module.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (SimulatorKnob k in simulator.Where(k => !moduleNames.Contains(k.Name)))
        {
            problems.Add($"{simulatorSide} knob '{k.Name}' is not a parameter of kbp.c");
        }

        foreach (ModuleParameterDecl m in module.Where(m => byName.ContainsKey(m.Name)))
        {
            SimulatorKnob k = byName[m.Name];
            if (!SameValue(m.Default, k.Default, k.IsCpuList))
            {
                problems.Add($"'{m.Name}': kbp.c defaults to '{m.Default}', {simulatorSide} to '{k.Default}'");
            }

            if (m.Minimum != k.Minimum || m.Maximum != k.Maximum)
            {
                problems.Add($"'{m.Name}': kbp.c accepts {Range(m.Minimum, m.Maximum)}, {simulatorSide} {Range(k.Minimum, k.Maximum)}");
            }

            IReadOnlyList<string> moduleWords = k.IsCpuList ? m.Words.Where(w => w != "all").ToList() : m.Words;
            IReadOnlyList<string> simulatorWords = k.Words ?? [];
            if (!moduleWords.ToHashSet(StringComparer.Ordinal).SetEquals(simulatorWords))
            {
                problems.Add($"'{m.Name}': kbp.c accepts the words [{string.Join(", ", moduleWords)}], {simulatorSide} [{string.Join(", ", simulatorWords)}]");
            }
        }

        return problems;
    }

    private static bool SameValue(string module, string simulator, bool isCpuList)
    {
        if (!isCpuList)
        {
            return string.Equals(module, simulator, StringComparison.Ordinal);
        }

        return KbpModuleParameters.TryParseCpuList(module, out IReadOnlyList<int> a)
            && KbpModuleParameters.TryParseCpuList(simulator, out IReadOnlyList<int> b)
            && a.SequenceEqual(b);
    }

    private static string Range(long? min, long? max) => min is null && max is null ? "any value" : $"{min}..{max}";
}
