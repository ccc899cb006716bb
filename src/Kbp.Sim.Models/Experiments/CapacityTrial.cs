using System.Globalization;
using Kbp.Sim.Models.Applications;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Topologies;
using Kbp.Sim.Randomness;
using Kbp.Sim.Statistics;
using Kbp.Sim.Time;

namespace Kbp.Sim.Models.Experiments;

/// <summary>A point of the capacity plane: a frame size and an offered rate.</summary>
/// <param name="FrameBytes">The frame size with FCS.</param>
/// <param name="RateBps">The offered rate, whole bits per second, counted at L1 or L2 as <paramref name="RateIsL1"/> says.</param>
/// <param name="RateIsL1">True when the rate counts preamble, SFD and IFG (the line rate); false for frame bits only.</param>
public readonly record struct CapacityPoint(int FrameBytes, long RateBps, bool RateIsL1)
{
    /// <summary>The offered rate on the wire (L1).</summary>
    public double L1RateBps => RateIsL1 ? RateBps : Ethernet.L1RateBps(RateBps, FrameBytes);

    /// <summary>The offered rate in frame bits (L2).</summary>
    public double L2RateBps => RateIsL1 ? Ethernet.L2RateBps(RateBps, FrameBytes) : RateBps;

    /// <summary>Frames offered per second.</summary>
    public double FramesPerSecond => Ethernet.FrameRatePps(L1RateBps, FrameBytes);

    /// <summary>The point's name, which its seed derives from: <c>512B@1000000000bps/l2</c>.</summary>
    public string Id => string.Create(CultureInfo.InvariantCulture, $"{FrameBytes}B@{RateBps}bps/{(RateIsL1 ? "l1" : "l2")}");
}

/// <summary>What the model's own counters said about the bottleneck during a trial (the VM and container testbeds).</summary>
/// <param name="AppNsPerFrame">CPU time of the application thread per datagram it received, ns (context switches and kicks included).</param>
/// <param name="VhostNsPerFrame">CPU time of the vhost-net worker per frame it copied into the guest, ns; null without vhost-net.</param>
/// <param name="KicksPerFrame">Guest kicks per frame the guest transmitted; null without vhost-net or without echo.</param>
public sealed record TrialCounters(double AppNsPerFrame, double? VhostNsPerFrame, double? KicksPerFrame);

/// <summary>What one capacity trial measured and whether it met the objective.</summary>
/// <param name="Point">The frame size and rate.</param>
/// <param name="Seed">The trial's seed.</param>
/// <param name="Passed">Whether the objective held.</param>
/// <param name="OverLine">True when the rate does not fit on the line at this frame size: the trial fails without running.</param>
/// <param name="StoppedEarly">True when the trial ended at the first frame that broke the objective.</param>
/// <param name="Violation">The broken bound and by how much; null when it passed.</param>
/// <param name="Offered">Measured frames the pattern generated (up to the stop).</param>
/// <param name="Received">Measured frames that came back.</param>
/// <param name="Lost">Measured frames dropped.</param>
/// <param name="InFlight">Measured frames neither back nor dropped at the end.</param>
/// <param name="LostByReason">Losses by <see cref="DropReason"/>, indexed by its value.</param>
/// <param name="Latency">Delays of the frames that came back.</param>
/// <param name="FirstLateCause">The largest wait of the first frame at or above a <c>max&lt;T</c> bound, if one came back.</param>
/// <param name="TailCauses">The wait causes of the frames at or above the trial's 99.9th percentile.</param>
/// <param name="Counters">The model's counters (the boundary trial only).</param>
/// <param name="Events">Events the simulator fired.</param>
public sealed record CapacityTrialOutcome(
    CapacityPoint Point,
    ulong Seed,
    bool Passed,
    bool OverLine,
    bool StoppedEarly,
    string? Violation,
    long Offered,
    long Received,
    long Lost,
    long InFlight,
    IReadOnlyList<long> LostByReason,
    LatencySummary Latency,
    WaitCause? FirstLateCause,
    IReadOnlyList<TailCause> TailCauses,
    TrialCounters? Counters,
    long Events)
{
    /// <summary>Measured frames lost at <paramref name="reason"/>.</summary>
    public long LostAt(DropReason reason) => LostByReason.Count == 0 ? 0 : LostByReason[(int)reason];

    /// <summary>The drop site with the most losses, if any.</summary>
    public DropReason? MainDropSite => LostByReason.Count == 0 || Lost == 0
        ? null
        : Enum.GetValues<DropReason>().OrderByDescending(LostAt).ThenBy(r => r).First();
}

/// <summary>
/// One capacity trial: a latency repetition (<see cref="LatencyRun.RunOne"/>: settle, warm-up,
/// the measured traffic, drain) at one point, judged by an <see cref="Slo"/>. A trial that has
/// already failed stops: at the first lost frame when the objective allows no loss
/// (<c>loss=0</c>, <c>max&lt;T</c>), at the first frame back at or above T for <c>max&lt;T</c>.
/// Up to that event it is the full trial (same seed, same events), so the verdict is the
/// same. Percentile bounds need every frame and run the whole trial.
/// </summary>
public static class CapacityTrial
{
    /// <summary>The seed of the trial at <paramref name="point"/>: a function of the run seed and the point only.</summary>
    public static ulong Seed(ulong runSeed, CapacityPoint point) => RandomStreams.DeriveSeed(runSeed, $"capacity/{point.Id}");

    /// <summary>Runs the trial at <paramref name="point"/> on <paramref name="spec"/> (its frame size must be the point's).</summary>
    /// <param name="spec">The system and its traffic; the tester's rate is replaced.</param>
    /// <param name="point">The frame size and rate.</param>
    /// <param name="runSeed">The run seed (the trial's seed derives from it and the point).</param>
    /// <param name="slo">The objective.</param>
    /// <param name="fullLength">Run to the end even after the objective broke (for the mechanism at a boundary).</param>
    /// <returns>The outcome.</returns>
    public static CapacityTrialOutcome Run(VmSpec spec, CapacityPoint point, ulong runSeed, Slo slo, bool fullLength = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(slo);
        if (spec.Tester.FrameBytes != point.FrameBytes)
        {
            throw new ArgumentException($"the spec's frames are {spec.Tester.FrameBytes} B, the point's {point.FrameBytes} B", nameof(point));
        }

        ulong seed = Seed(runSeed, point);
        if (point.L1RateBps > spec.Tester.LineRateBps * (1 + 1e-12))
        {
            string why = string.Create(CultureInfo.InvariantCulture, $"over the line rate: {point.L1RateBps / 1e6:0.###} Mbit/s on the wire > {spec.Tester.LineRateBps / 1e6:0.###} Mbit/s");
            return new CapacityTrialOutcome(point, seed, false, true, false, why, 0, 0, 0, 0, [], LatencySummary.Of(new LatencyRecorder("none")), null, [], null, 0);
        }

        VmSpec at = spec with { Tester = spec.Tester with { RateBps = point.RateBps, RateIsL1 = point.RateIsL1 } };
        long? limitNs = slo.MaxLimitNs;
        bool late = false;
        long lateNs = 0;
        WaitCause? lateCause = null;
        void Observe(Packet packet, long nowNs)
        {
            long delayNs = nowNs - packet.At(Probe.TesterSend);
            if (!late && delayNs >= limitNs!.Value)
            {
                late = true;
                lateNs = delayNs;
                lateCause = LargestWait(packet);
            }
        }

        Action<Packet, long>? observer = limitNs is null ? null : Observe;
        TrialCounters? counters = null;
        RepetitionResult r = LatencyRun.RunOne(
            at,
            seed,
            observer,
            stopAtFirstLoss: !fullLength && slo.FailsAtFirstLoss,
            stopWhen: fullLength || limitNs is null ? null : () => late,
            inspect: fullLength ? testbed => counters = CountersOf(testbed) : null);
        TesterResult t = r.Tester;
        SloVerdict verdict = slo.Judge(t.Offered, t.Received, t.Latency);
        bool stopped = !fullLength && ((slo.FailsAtFirstLoss && t.Lost > 0) || late);
        string? violation = verdict.Violation;
        if (stopped)
        {
            // The counts cover the traffic up to the stop: most frames are still in flight, so say what stopped it.
            SloBound first = slo.Bounds.First(b => late ? b.Kind == SloKind.Max : b.Kind is SloKind.NoLoss or SloKind.Max);
            violation = late
                ? $"{first}: a frame came back after {SimTime.Format(lateNs)} (trial stopped there)"
                : $"{first}: a frame was dropped (trial stopped there)";
        }
        IReadOnlyList<TailCause> tail = RunResult.Merge(seed, [r]).TailCauses;
        return new CapacityTrialOutcome(
            point,
            seed,
            verdict.Holds,
            false,
            stopped,
            violation,
            t.Offered,
            t.Received,
            t.Lost,
            t.InFlight,
            t.LostByReason,
            LatencySummary.Of(t.Latency),
            lateCause,
            tail,
            counters,
            r.Events);
    }

    private static WaitCause? LargestWait(Packet packet)
    {
        WaitCause? best = null;
        long bestNs = 0;
        foreach (WaitCause cause in Enum.GetValues<WaitCause>())
        {
            long ns = packet.WaitNs(cause);
            if (ns > bestNs)
            {
                best = cause;
                bestNs = ns;
            }
        }

        return best;
    }

    private static TrialCounters? CountersOf(ITestbed testbed)
    {
        switch (testbed)
        {
            case VmTopology vm when vm.Application is UdpApplication app:
                double? vhostNs = vm.Vhost is { RxPackets: > 0 } v ? (double)v.Item.RunTimeNs / v.RxPackets : null;
                double? kicks = vm.Vhost is { TxPackets: > 0 } tx ? (double)vm.GuestTx.Kicks / tx.TxPackets : null;
                return new TrialCounters(app.Received == 0 ? 0 : (double)app.Item.RunTimeNs / app.Received, vhostNs, kicks);
            case ContainerTopology container when container.Application is UdpApplication app:
                return new TrialCounters(app.Received == 0 ? 0 : (double)app.Item.RunTimeNs / app.Received, null, null);
            default:
                return null;
        }
    }
}
