using System.CommandLine;
using Kbp.Sim.Models.Scenarios;

namespace Kbp.Sim.Cli;

/// <summary>The scenario options that explain, trace and plot share with run: FILE, --set, --profile, --seed, --duration, --repetitions.</summary>
internal sealed class ScenarioOptions
{
    public Argument<string> File { get; } = new("FILE") { Description = "Scenario file (.yaml, .yml or .json)." };

    public Option<string[]> Set { get; } = new("--set") { Description = "Override a key: --set traffic.rate=80Mbps (repeatable).", AllowMultipleArgumentsPerToken = false };

    public Option<string?> Profile { get; } = new("--profile") { Description = "Calibration profile (YAML/JSON); overrides the scenario's 'profile' key." };

    public Option<string?> Seed { get; } = new("--seed") { Description = "Run seed (shorthand for --set traffic.seed=S)." };

    public Option<string?> Duration { get; } = new("--duration") { Description = "Measured duration per repetition, e.g. 2s (shorthand for --set traffic.duration=T)." };

    public Option<string?> Repetitions { get; } = new("--repetitions") { Description = "Repetitions (shorthand for --set traffic.repetitions=R)." };

    /// <summary>Adds the argument and options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Arguments.Add(File);
        command.Options.Add(Set);
        command.Options.Add(Profile);
        command.Options.Add(Seed);
        command.Options.Add(Duration);
        command.Options.Add(Repetitions);
    }

    /// <summary>Loads the scenario with every layer; null (and one line on <paramref name="error"/>) when it is bad.</summary>
    public ScenarioSpec? Load(ParseResult result, TextWriter error, params string[] extraOverrides) =>
        Load(result, error, result.GetValue(File)!, extraOverrides);

    /// <summary>Loads the scenario file <paramref name="path"/> with the same profile and overrides.</summary>
    public ScenarioSpec? Load(ParseResult result, TextWriter error, string path, params string[] extraOverrides)
    {
        var overrides = new List<string>(result.GetValue(Set) ?? []);
        Add(overrides, "traffic.seed", result.GetValue(Seed));
        Add(overrides, "traffic.duration", result.GetValue(Duration));
        Add(overrides, "traffic.repetitions", result.GetValue(Repetitions));
        overrides.AddRange(extraOverrides);
        try
        {
            return ScenarioLoader.Load(path, result.GetValue(Profile), overrides);
        }
        catch (ScenarioException e)
        {
            error.WriteLine($"kbp-sim: {e.OneLine}");
            return null;
        }
    }

    /// <summary>A duration option's value in ns (null when absent); false with one line on <paramref name="error"/> when malformed or negative.</summary>
    public static bool TryDuration(ParseResult result, Option<string?> option, TextWriter error, out long? ns)
    {
        ns = null;
        string? text = result.GetValue(option);
        if (text is null)
        {
            return true;
        }

        if (!Units.TryParseDurationNs(text, out long value, out string? problem) || value < 0)
        {
            error.WriteLine($"kbp-sim: {option.Name}: '{text}' is not a time: {problem ?? "it must not be negative"}");
            return false;
        }

        ns = value;
        return true;
    }

    private static void Add(List<string> overrides, string key, string? value)
    {
        if (value is not null)
        {
            overrides.Add($"{key}={value}");
        }
    }
}
