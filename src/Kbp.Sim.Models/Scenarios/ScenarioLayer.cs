namespace Kbp.Sim.Models.Scenarios;

/// <summary>The inputs a scenario is built from, lowest precedence first.</summary>
public enum ScenarioLayerKind
{
    /// <summary>The built-in defaults (<see cref="ScenarioDefaults.Values"/> or the caller's dictionary).</summary>
    Defaults,

    /// <summary>The calibration profile: <c>--profile FILE</c>, or the scenario's <c>profile:</c> key.</summary>
    Profile,

    /// <summary>The scenario file.</summary>
    Scenario,

    /// <summary>The <c>--set key=value</c> overrides.</summary>
    Overrides,
}

/// <summary>One input of a scenario, already flattened to configuration keys (<c>traffic:rate</c>).</summary>
/// <param name="Kind">Which input this is.</param>
/// <param name="Source">How messages name it: the file path as given, <c>--set</c> or <c>built-in defaults</c>.</param>
/// <param name="Values">The keys (':' separated, case-insensitive) and their values.</param>
public sealed record ScenarioLayer(ScenarioLayerKind Kind, string Source, IReadOnlyDictionary<string, string?> Values);
