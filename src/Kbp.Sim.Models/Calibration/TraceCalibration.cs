using MathNet.Numerics;

namespace Kbp.Sim.Models.Calibration;

/// <summary>What a trace says about the packet path's costs and waits.</summary>
/// <param name="RaiseToEntryNs">NET_RX raised → its softirq_entry on the same CPU (the wait before softIRQ processing).</param>
/// <param name="NetRxPerPacketNs">Per NET_RX run: its duration divided by the frames it received.</param>
/// <param name="NapiBatch">napi_poll work per poll.</param>
/// <param name="KsoftirqdWakeToRunNs">sched_wakeup of ksoftirqd/N → the sched_switch to it.</param>
/// <param name="PerPacketNs">
/// The per-frame cost of NET_RX: the slope of run duration against frames received
/// (least squares, MathNet Fit.Line), which separates it from the fixed cost of a run.
/// </param>
/// <param name="PerRunNs">The intercept: the fixed cost of a NET_RX run (__do_softirq entry, net_rx_action overhead).</param>
/// <param name="RSquared">Goodness of the line fit.</param>
/// <param name="Runs">NET_RX runs with at least one frame.</param>
public sealed record TraceCalibrationResult(
    FittedDistribution? RaiseToEntryNs,
    FittedDistribution? NetRxPerPacketNs,
    FittedDistribution? NapiBatch,
    FittedDistribution? KsoftirqdWakeToRunNs,
    double? PerPacketNs,
    double? PerRunNs,
    double? RSquared,
    int Runs)
{
    /// <summary>True when the trace held anything this calibration uses.</summary>
    public bool HasAnything => RaiseToEntryNs is not null || NetRxPerPacketNs is not null || NapiBatch is not null || KsoftirqdWakeToRunNs is not null;
}

/// <summary>
/// Derives per-stage distributions from kernel trace events (irq:softirq_raise/entry/exit
/// with vec=3 for NET_RX, napi:napi_poll, net:netif_receive_skb, sched:sched_wakeup and
/// sched:sched_switch), CPU by CPU, in time order.
/// </summary>
public static class TraceCalibration
{
    private const long NetRxVector = 3;

    /// <summary>Derives the distributions and the per-frame cost from <paramref name="trace"/>.</summary>
    public static TraceCalibrationResult Derive(FtraceTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var raised = new Dictionary<int, long>();
        var runStart = new Dictionary<int, long>();
        var runFrames = new Dictionary<int, int>();
        var woken = new Dictionary<int, long>();
        var raiseToEntry = new List<double>();
        var perPacket = new List<double>();
        var batches = new List<double>();
        var wakeToRun = new List<double>();
        var frames = new List<double>();
        var durations = new List<double>();
        foreach (FtraceEvent e in trace.Events.OrderBy(e => e.TimeNs))
        {
            switch (e.Name)
            {
                case "softirq_raise" when e.Int("vec") == NetRxVector:
                    raised.TryAdd(e.Cpu, e.TimeNs);
                    break;
                case "softirq_entry" when e.Int("vec") == NetRxVector:
                    if (raised.Remove(e.Cpu, out long at))
                    {
                        raiseToEntry.Add(e.TimeNs - at);
                    }

                    runStart[e.Cpu] = e.TimeNs;
                    runFrames[e.Cpu] = 0;
                    break;
                case "netif_receive_skb" when runFrames.ContainsKey(e.Cpu):
                    runFrames[e.Cpu]++;
                    break;
                case "softirq_exit" when e.Int("vec") == NetRxVector && runStart.Remove(e.Cpu, out long start):
                    runFrames.Remove(e.Cpu, out int n);
                    if (n > 0)
                    {
                        perPacket.Add((double)(e.TimeNs - start) / n);
                        frames.Add(n);
                        durations.Add(e.TimeNs - start);
                    }

                    break;
                case "napi_poll" when NapiWork(e.Args) is long work:
                    // TP_printk("napi poll on napi struct %p for device %s work %d budget %d").
                    batches.Add(work);
                    break;
                case "sched_wakeup" when IsKsoftirqd(e.Fields.GetValueOrDefault("comm")) && e.Int("target_cpu") is long cpu:
                    woken.TryAdd((int)cpu, e.TimeNs);
                    break;
                case "sched_switch" when IsKsoftirqd(e.Fields.GetValueOrDefault("next_comm")) && woken.Remove(e.Cpu, out long wokeAt):
                    wakeToRun.Add(e.TimeNs - wokeAt);
                    break;
            }
        }

        double? slope = null, intercept = null, r2 = null;
        if (frames.Distinct().Count() >= 2)
        {
            (double a, double b) = Fit.Line(frames.ToArray(), durations.ToArray());
            intercept = a;
            slope = b;
            r2 = GoodnessOfFit.RSquared(frames.Select(x => a + (b * x)), durations);
        }

        return new TraceCalibrationResult(
            FittedDistribution.Of("NET_RX raise to entry (ns)", raiseToEntry),
            FittedDistribution.Of("NET_RX time per frame (ns)", perPacket),
            FittedDistribution.Of("napi_poll frames per poll", batches),
            FittedDistribution.Of("ksoftirqd wakeup to run (ns)", wakeToRun),
            slope,
            intercept,
            r2,
            frames.Count);
    }

    private static long? NapiWork(string args)
    {
        int at = args.IndexOf(" work ", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        string rest = args[(at + 6)..];
        int end = rest.IndexOf(' ', StringComparison.Ordinal);
        return long.TryParse(end < 0 ? rest : rest[..end], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long work) ? work : null;
    }

    private static bool IsKsoftirqd(string? comm) => comm is not null && comm.StartsWith("ksoftirqd/", StringComparison.Ordinal);
}
