namespace Kbp.Sim.Models.Scenarios;

/// <summary>
/// The entry point for scenario files: layers the built-in defaults, the calibration
/// profile, the scenario file and the <c>--set</c> overrides, binds and validates the result.
/// Every problem surfaces as a <see cref="ScenarioException"/> whose
/// <see cref="ScenarioException.OneLine"/> names the input, the key path, the value and what
/// is allowed; the CLI prints that line and exits with code 2.
/// </summary>
public static class ScenarioLoader
{
    /// <summary>Loads a scenario over <see cref="ScenarioDefaults.Values"/>.</summary>
    /// <param name="scenarioPath">The scenario file (.yaml, .yml or .json), as the user wrote it.</param>
    /// <param name="profilePath">The <c>--profile</c> file, or null to use the scenario's <c>profile</c> key (if any).</param>
    /// <param name="setOverrides">The <c>--set key.path=value</c> arguments, in command-line order.</param>
    /// <returns>The validated scenario.</returns>
    /// <exception cref="ScenarioException">The input is invalid.</exception>
    public static ScenarioSpec Load(string scenarioPath, string? profilePath, IReadOnlyList<string> setOverrides) =>
        Load(scenarioPath, profilePath, setOverrides, ScenarioDefaults.Values);

    /// <summary>Loads a scenario over the caller's defaults.</summary>
    /// <param name="scenarioPath">The scenario file (.yaml, .yml or .json), as the user wrote it.</param>
    /// <param name="profilePath">The <c>--profile</c> file, or null to use the scenario's <c>profile</c> key (if any).</param>
    /// <param name="setOverrides">The <c>--set key.path=value</c> arguments, in command-line order.</param>
    /// <param name="defaults">The lowest layer: dotted key paths and values in file syntax.</param>
    /// <returns>The validated scenario.</returns>
    /// <exception cref="ScenarioException">The input is invalid.</exception>
    public static ScenarioSpec Load(
        string scenarioPath,
        string? profilePath,
        IReadOnlyList<string> setOverrides,
        IReadOnlyDictionary<string, string?> defaults)
    {
        ScenarioSources sources = ScenarioSources.Load(scenarioPath, profilePath, setOverrides, defaults);
        return ScenarioSpec.Bind(new ScenarioReader(sources), Path.GetFileNameWithoutExtension(scenarioPath));
    }
}
