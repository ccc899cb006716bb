using System.Collections.Concurrent;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Models.Experiments;

/// <summary>
/// A scenario ready for capacity questions: validated, with one spec per frame size loaded
/// on demand through <see cref="ScenarioLoader"/> (the frame size and the trial duration as
/// overrides), the run seed and the rate layer of <c>traffic.rateLayer</c>.
/// </summary>
public sealed class CapacitySetup
{
    private readonly string _scenarioPath;
    private readonly string? _profilePath;
    private readonly IReadOnlyList<string> _overrides;
    private readonly ConcurrentDictionary<int, Lazy<VmSpec>> _specs = new();

    private CapacitySetup(string scenarioPath, string? profilePath, IReadOnlyList<string> overrides, ScenarioSpec scenario, long trialNs)
    {
        _scenarioPath = scenarioPath;
        _profilePath = profilePath;
        _overrides = overrides;
        Scenario = scenario;
        TrialNs = trialNs;
        Budget = StageBudget.Of(VmScenario.ToVmSpec(scenario));
    }

    /// <summary>The scenario (its rate replaced by a placeholder).</summary>
    public ScenarioSpec Scenario { get; }

    /// <summary>The measured duration of a trial.</summary>
    public long TrialNs { get; }

    /// <summary>The run seed (<c>traffic.seed</c>).</summary>
    public ulong Seed => Scenario.Traffic.Seed;

    /// <summary>Whether rates count preamble, SFD and IFG (<c>traffic.rateLayer: l1</c>).</summary>
    public bool RateIsL1 => Scenario.Traffic.RateLayer == RateLayer.L1;

    /// <summary>The line rate of the tester's port and the NIC (<c>nic.rate</c>), bit/s on the wire.</summary>
    public long LineRateBps => Ethernet.WholeRateBps(Scenario.Nic.RateBps);

    /// <summary>The analytic stage table (no cost depends on the frame size).</summary>
    public StageBudget Budget { get; }

    /// <summary>
    /// Loads and validates the scenario with its overrides (its <c>traffic.rate</c> is not used:
    /// every trial sets its own) and checks that every frame size in <paramref name="frameSizes"/> loads.
    /// </summary>
    /// <exception cref="ScenarioException">The scenario, an override or a frame size is invalid.</exception>
    public static CapacitySetup Prepare(string scenarioPath, string? profilePath, IReadOnlyList<string> overrides, long trialNs, IReadOnlyList<int> frameSizes)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        ArgumentNullException.ThrowIfNull(frameSizes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(trialNs);

        // Every trial sets its own rate (at the scenario's rate layer); a placeholder keeps the
        // scenario's rate from being checked against a line or frame size it is never offered on.
        var placeholder = new List<string>(overrides) { "traffic.rate=1bps", $"traffic.duration={trialNs}ns" };
        ScenarioSpec scenario = ScenarioLoader.Load(scenarioPath, profilePath, placeholder);
        var setup = new CapacitySetup(scenarioPath, profilePath, placeholder, scenario, trialNs);
        foreach (int size in frameSizes)
        {
            _ = setup.SpecFor(size);
        }

        return setup;
    }

    /// <summary>The spec with frames of <paramref name="frameBytes"/> (loaded once per size).</summary>
    /// <exception cref="ScenarioException">The frame size is invalid for the scenario.</exception>
    public VmSpec SpecFor(int frameBytes) =>
        _specs.GetOrAdd(frameBytes, size => new Lazy<VmSpec>(() => VmScenario.ToVmSpec(ScenarioLoader.Load(
            _scenarioPath,
            _profilePath,
            [.. _overrides, $"traffic.frameSize={size}B"])))).Value;
}
