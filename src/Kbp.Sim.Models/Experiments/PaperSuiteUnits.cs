using System.Globalization;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Models.Experiments;

/// <summary>One work unit of the paper suite: a latency run, one frame size of an RFC 2544 run, or the frame-size limit.</summary>
public sealed class SuiteUnit
{
    private readonly Func<SuiteUnitResult> _run;

    internal SuiteUnit(int index, string id, Func<SuiteUnitResult> run)
    {
        Index = index;
        Id = id;
        _run = run;
    }

    /// <summary>The unit's position in the suite.</summary>
    public int Index { get; }

    /// <summary>The unit's name: <c>latency/vm-napi-80mbps-64b</c>, <c>rfc2544/kbp/512B</c>, <c>frame-size-limit</c>.</summary>
    public string Id { get; }

    /// <summary>Runs the unit's simulations.</summary>
    public SuiteUnitResult Run() => _run();
}

/// <summary>What one unit measured: one of the three is set.</summary>
/// <param name="Id">The unit's id.</param>
/// <param name="Latency">A latency run.</param>
/// <param name="Throughput">One frame size of an RFC 2544 run.</param>
/// <param name="FrameSizeLimitBytes">The frame-size limit.</param>
public sealed record SuiteUnitResult(string Id, SuiteRun? Latency, ThroughputAtFrameSize? Throughput, int? FrameSizeLimitBytes);

/// <summary>
/// The paper suite as work units, for <c>validate</c> whole or sharded (<c>--shard K/N</c>,
/// <c>docs/scaling.md</c>): the units in a fixed order with stable ids, each one's seeds a
/// function of the run seed (and, for RFC 2544, the frame size and the repetition) only, so a
/// unit gives the same result in any shard; the results put together give the whole suite's.
/// </summary>
public static partial class PaperSuite
{
    /// <summary>The id of the frame-size limit's unit.</summary>
    public const string FrameSizeLimitId = "frame-size-limit";

    /// <summary>The id of a latency run's unit.</summary>
    public static string LatencyId(string scenario) => "latency/" + scenario;

    /// <summary>The id of one frame size of an RFC 2544 run: <c>rfc2544/kbp/512B</c>, <c>rfc2544/container-kbp-k8s/64B</c>.</summary>
    public static string ThroughputId(string system, int frameBytes) => string.Create(CultureInfo.InvariantCulture, $"rfc2544/{system}/{frameBytes}B");

    private enum UnitKind
    {
        Latency,
        Throughput,
        FrameSizeLimit,
    }

    /// <summary>
    /// The ids of the units of the VM claims (<paramref name="vm"/>: the Fig. 8 runs, the
    /// Table 2 run, the Fig. 9 frame sizes, the frame-size limit) and of the container
    /// predictions (<paramref name="containers"/>), in that order: a unit's index is its position.
    /// </summary>
    public static IReadOnlyList<string> UnitIds(bool vm, bool containers) => [.. Plan(vm, containers).Select(u => u.Id)];

    /// <summary>
    /// The units of <see cref="UnitIds"/>, ready to run. Every scenario file is loaded here, so
    /// a broken file is reported before anything runs.
    /// </summary>
    /// <exception cref="ScenarioException">A paper scenario file is missing or invalid.</exception>
    public static IReadOnlyList<SuiteUnit> Units(string paperDirectory, SuiteSettings settings, ulong seed, bool vm, bool containers)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string[] timing =
        [
            $"traffic.duration={settings.LatencyDurationNs}ns",
            $"traffic.repetitions={settings.LatencyRepetitions}",
            $"traffic.seed={seed}",
        ];
        var units = new List<SuiteUnit>();
        foreach ((string id, UnitKind kind, string scenario, int frameBytes) in Plan(vm, containers))
        {
            Func<SuiteUnitResult> run;
            if (kind == UnitKind.Latency)
            {
                VmSpec spec = Load(paperDirectory, scenario, timing);
                run = () => new SuiteUnitResult(id, SuiteRun.Of(LatencyRun.Run(spec, settings.LatencyRepetitions, seed)), null, null);
            }
            else if (kind == UnitKind.Throughput)
            {
                VmSpec spec = Rfc2544.Prepare(PathOf(paperDirectory, scenario), null, [], [frameBytes], settings.TrialNs).Specs[0];
                run = () => new SuiteUnitResult(id, null, Rfc2544.Run([spec], settings.Resolution, settings.ThroughputRepetitions, seed).FrameSizes[0], null);
            }
            else
            {
                run = () => new SuiteUnitResult(id, null, null, FrameSizeLimit(paperDirectory, settings.TrialNs, seed));
            }

            units.Add(new SuiteUnit(units.Count, id, run));
        }

        return units;
    }

    /// <summary>The VM suite's results from its units' (<see cref="Units"/> with <c>vm</c>), by id.</summary>
    /// <exception cref="KeyNotFoundException">A unit's result is missing.</exception>
    public static SuiteResults Results(SuiteSettings settings, ulong seed, IReadOnlyDictionary<string, SuiteUnitResult> results)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(results);
        var latency = new Dictionary<string, SuiteRun>();
        foreach (Datapath system in Systems)
        {
            foreach (string rate in Rates)
            {
                foreach (int size in FrameSizes)
                {
                    string name = Scenario(system, rate, size);
                    latency[name] = results[LatencyId(name)].Latency!;
                }
            }
        }

        return new SuiteResults(
            latency,
            results[LatencyId(AnalysisScenario)].Latency!,
            Systems.ToDictionary(s => s, s => Throughput(settings, seed, results, Word(s))),
            results[FrameSizeLimitId].FrameSizeLimitBytes!.Value);
    }

    /// <summary>The container predictions from their units' (<see cref="Units"/> with <c>containers</c>), by id.</summary>
    /// <exception cref="KeyNotFoundException">A unit's result is missing.</exception>
    public static PredictionResults Predictions(SuiteSettings settings, ulong seed, IReadOnlyDictionary<string, SuiteUnitResult> results)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(results);
        var latency = new Dictionary<string, SuiteRun>();
        foreach (string system in ContainerSystems)
        {
            foreach (string rate in ContainerRates)
            {
                foreach (int size in FrameSizes)
                {
                    string name = $"{system}-{rate}-{size}b";
                    latency[name] = results[LatencyId(name)].Latency!;
                }
            }
        }

        return new PredictionResults(latency, ContainerSystems.ToDictionary(s => s, s => Throughput(settings, seed, results, s)));
    }

    /// <summary>Every unit in order: its id, what it runs, its scenario file's name and (RFC 2544) its frame size.</summary>
    private static List<(string Id, UnitKind Kind, string Scenario, int FrameBytes)> Plan(bool vm, bool containers)
    {
        var plan = new List<(string, UnitKind, string, int)>();
        void Latency(string name) => plan.Add((LatencyId(name), UnitKind.Latency, name, 0));
        void Throughput(string system, string file) => plan.AddRange(FrameSizes.Select(f => (ThroughputId(system, f), UnitKind.Throughput, file, f)));
        if (vm)
        {
            foreach (Datapath system in Systems)
            {
                foreach (string rate in Rates)
                {
                    foreach (int size in FrameSizes)
                    {
                        Latency(Scenario(system, rate, size));
                    }
                }
            }

            Latency(AnalysisScenario);
            foreach (Datapath system in Systems)
            {
                Throughput(Word(system), Scenario(system, "1gbps", 1518));
            }

            plan.Add((FrameSizeLimitId, UnitKind.FrameSizeLimit, Scenario(Datapath.Kbp, "1gbps", 512), 0));
        }

        if (containers)
        {
            foreach (string system in ContainerSystems)
            {
                foreach (string rate in ContainerRates)
                {
                    foreach (int size in FrameSizes)
                    {
                        Latency($"{system}-{rate}-{size}b");
                    }
                }
            }

            foreach (string system in ContainerSystems)
            {
                Throughput(system, $"{system}-1gbps-1518b");
            }
        }

        return plan;
    }

    private static Rfc2544Result Throughput(SuiteSettings settings, ulong seed, IReadOnlyDictionary<string, SuiteUnitResult> results, string system) =>
        new(seed, settings.Resolution, settings.TrialNs, settings.ThroughputRepetitions, [.. FrameSizes.Select(f => results[ThroughputId(system, f)].Throughput!)]);
}
