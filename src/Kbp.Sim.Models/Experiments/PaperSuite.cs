using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;
using Kbp.Sim.Time;

namespace Kbp.Sim.Models.Experiments;

/// <summary>How long the paper suite runs: the paper's own method, or a short run for CI.</summary>
/// <param name="Quick">True for the short run; claims that need the paper's length are then not evaluated.</param>
/// <param name="LatencyDurationNs">Measured time of each Fig. 8 and Table 2 repetition.</param>
/// <param name="LatencyRepetitions">Repetitions of each latency run.</param>
/// <param name="TrialNs">Measured time of each RFC 2544 trial (Fig. 9) and frame-size-limit trial.</param>
/// <param name="ThroughputRepetitions">Searches per frame size for Fig. 9.</param>
/// <param name="Resolution">Relative resolution of the Fig. 9 rate search.</param>
public sealed record SuiteSettings(bool Quick, long LatencyDurationNs, int LatencyRepetitions, long TrialNs, int ThroughputRepetitions, double Resolution)
{
    /// <summary>The paper's method: 60 s, 5 repetitions (Fig. 8); 60 s trials, 10 repetitions (Fig. 9).</summary>
    public static SuiteSettings Full { get; } = new(false, 60 * SimTime.NsPerS, 5, 60 * SimTime.NsPerS, 10, 0.005);

    /// <summary>For CI: 3 s, 2 repetitions; 1 s trials, 2 repetitions, 2 % resolution.</summary>
    public static SuiteSettings QuickRun { get; } = new(true, 3 * SimTime.NsPerS, 2, SimTime.NsPerS, 2, 0.02);
}

/// <summary>Everything the paper suite measured, by what the claims ask for.</summary>
/// <param name="Latency">Fig. 8 runs by scenario name, e.g. "vm-napi-80mbps-64b".</param>
/// <param name="Analysis">The Table 2 analysis run.</param>
/// <param name="Throughput">Fig. 9 RFC 2544 results by datapath.</param>
/// <param name="FrameSizeLimitBytes">The smallest frame size the guest's receive path sustains under KBP at 1 Gbps with the paper's 2.20 µs cost, one-way (bisection, 4-byte steps).</param>
public sealed record SuiteResults(
    IReadOnlyDictionary<string, SuiteRun> Latency,
    SuiteRun Analysis,
    IReadOnlyDictionary<Datapath, Rfc2544Result> Throughput,
    int FrameSizeLimitBytes);

/// <summary>The container predictions: the paper's systems (d)-(g), whose measurements are held out.</summary>
/// <param name="Latency">Latency runs by scenario name, e.g. "container-kbp-k8s-1gbps-512b".</param>
/// <param name="Throughput">RFC 2544 results by system name, e.g. "container-napi-docker".</param>
public sealed record PredictionResults(
    IReadOnlyDictionary<string, SuiteRun> Latency,
    IReadOnlyDictionary<string, Rfc2544Result> Throughput);

/// <summary>
/// The VM paper suite (Fujimoto et al., §5, and the §3 analysis): the scenario files of
/// <c>scenarios/paper/</c> run as the paper ran them, one calibration profile, no per-figure
/// settings. See <c>docs/validation.md</c>. The suite is a list of work units
/// (<see cref="Units"/>) whose results are put together into <see cref="SuiteResults"/>
/// and <see cref="PredictionResults"/>.
/// </summary>
public static partial class PaperSuite
{
    /// <summary>The Fig. 8 systems, in the paper's order.</summary>
    public static IReadOnlyList<Datapath> Systems { get; } = [Datapath.Napi, Datapath.OvsDpdk, Datapath.Kbp];

    /// <summary>The Fig. 8 offered rates as they appear in file names.</summary>
    public static IReadOnlyList<string> Rates { get; } = ["80mbps", "1gbps"];

    /// <summary>The paper's frame sizes, bytes.</summary>
    public static IReadOnlyList<int> FrameSizes { get; } = [64, 512, 1518];

    /// <summary>Frame sizes of the frame-size-limit bisection, bytes.</summary>
    public const int FrameLimitStepBytes = 4;

    /// <summary>The file-name word of a datapath: napi, kbp, ovs-dpdk.</summary>
    public static string Word(Datapath datapath) => datapath switch
    {
        Datapath.Napi => "napi",
        Datapath.Kbp => "kbp",
        Datapath.OvsDpdk => "ovs-dpdk",
        Datapath.ThreadedNapi => "threaded-napi",
        _ => throw new ArgumentOutOfRangeException(nameof(datapath), datapath, null),
    };

    /// <summary>The name of a Fig. 8 scenario, e.g. "vm-kbp-1gbps-512b".</summary>
    public static string Scenario(Datapath datapath, string rate, int frameBytes) =>
        $"vm-{Word(datapath)}-{rate}-{frameBytes}b";

    /// <summary>The container systems of §6 in the paper's order: (d) NAPI + Docker, (e) KBP + Docker, (f) NAPI + Kubernetes, (g) KBP + Kubernetes.</summary>
    public static IReadOnlyList<string> ContainerSystems { get; } =
        ["container-napi-docker", "container-kbp-docker", "container-napi-k8s", "container-kbp-k8s"];

    /// <summary>The container offered rates as they appear in file names.</summary>
    public static IReadOnlyList<string> ContainerRates { get; } = ["100mbps", "1gbps"];

    /// <summary>The name of the Table 2 analysis scenario.</summary>
    public const string AnalysisScenario = "vm-analysis-napi-1gbps-1518b";

    /// <summary>
    /// The paper's frame-size limit, simulated: the limit of the guest's receive processing
    /// (the paper derives it from rxg0→rxg1 alone), so one-way traffic into a sink, KBP at
    /// 1 Gbps (L2) on a host whose clock makes the guest's receive cost the paper's 2.20 µs
    /// (the 1.7 GHz analysis host); the smallest frame size, to
    /// <see cref="FrameLimitStepBytes"/>, whose trial loses nothing. (The echo path is slower:
    /// its application is the bottleneck, docs/capacity.md.)
    /// </summary>
    private static int FrameSizeLimit(string paperDirectory, long trialNs, ulong seed)
    {
        string path = PathOf(paperDirectory, Scenario(Datapath.Kbp, "1gbps", 512));
        bool Sustained(int frameBytes)
        {
            VmSpec spec = VmScenario.ToVmSpec(ScenarioLoader.Load(path, null,
            [
                "host.clock=1.7GHz",
                "traffic.mode=one-way",
                $"traffic.frameSize={frameBytes}B",
                $"traffic.duration={trialNs}ns",
            ]));
            long l1Bps = (long)Math.Ceiling(spec.Tester.OfferedL1RateBps);
            return ThroughputTrial.Run(spec, l1Bps, Rfc2544.SearchSeed(seed, frameBytes, 0), stopAtFirstLoss: true).Passed;
        }

        // Invariant: low fails (64 B frames at 1 Gbps, Fig. 8), high passes (or is the answer).
        int low = Ethernet.MinFrameBytes, high = 1518;
        if (Sustained(low))
        {
            return low;
        }

        while (high - low > FrameLimitStepBytes)
        {
            int mid = (low + high) / 2;
            if (Sustained(mid))
            {
                high = mid;
            }
            else
            {
                low = mid;
            }
        }

        return high;
    }

    private static string PathOf(string paperDirectory, string name) => Path.Combine(paperDirectory, name + ".yaml");

    private static VmSpec Load(string paperDirectory, string name, IReadOnlyList<string> overrides) =>
        VmScenario.ToVmSpec(ScenarioLoader.Load(PathOf(paperDirectory, name), null, overrides));
}
