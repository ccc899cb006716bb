using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Models.Explaining;

/// <summary>What one recorded re-run of a repetition kept.</summary>
/// <param name="Topology">The system as built for the re-run (its state is at the end of the recording): a <see cref="VmTopology"/> or a <see cref="ContainerTopology"/>.</param>
/// <param name="Timeline">What ran where, in the recorded windows.</param>
/// <param name="Journeys">The watched frames' logs.</param>
public sealed record Recording(ITestbed Topology, TimelineRecorder Timeline, JourneyRecorder Journeys);

/// <summary>
/// Why were frames slow? Runs are deterministic by seed, so a frame found slow in an
/// ordinary run is explained by re-running its repetition with the same seed and extra
/// recording switched on: a <see cref="TimelineRecorder"/> as the trace sink (what ran on
/// every CPU around the frames) and a <see cref="JourneyRecorder"/> on the chosen frames
/// (their probes and every wait the models charged, with the CPU and consumer). Nothing
/// recorded changes the simulation; the re-run checks that the frames come back at the
/// same times.
/// </summary>
public static class Explainer
{
    /// <summary>The <paramref name="count"/> slowest measured frames of a run, slowest first (ties: repetition, id).</summary>
    public static IReadOnlyList<FrameRef> FindSlowest(VmSpec spec, int repetitions, ulong seed, int count, int maxParallelism = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var perRepetition = new List<FrameRef>[repetitions];
        for (int i = 0; i < repetitions; i++)
        {
            perRepetition[i] = new List<FrameRef>(count + 1);
        }

        LatencyRun.Run(spec, repetitions, seed, maxParallelism, frameObserver: rep => (packet, receivedNs) =>
        {
            var frame = new FrameRef(rep, packet.Id, packet.At(Probe.TesterSend), receivedNs);
            List<FrameRef> top = perRepetition[rep];
            if (top.Count == count && frame.RttNs <= top[^1].RttNs)
            {
                return;
            }

            int at = top.FindIndex(f => f.RttNs < frame.RttNs);
            top.Insert(at < 0 ? top.Count : at, frame);
            if (top.Count > count)
            {
                top.RemoveAt(top.Count - 1);
            }
        });
        return perRepetition.SelectMany(f => f)
            .OrderByDescending(f => f.RttNs).ThenBy(f => f.Repetition).ThenBy(f => f.Id)
            .Take(count).ToList();
    }

    /// <summary>Frame <paramref name="id"/> of repetition <paramref name="repetition"/>, or null when it was not measured (warm-up, lost, never sent).</summary>
    public static FrameRef? FindFrame(VmSpec spec, ulong seed, int repetition, long id)
    {
        FrameRef? found = null;
        LatencyRun.RunOne(spec, LatencyRun.RepetitionSeed(seed, repetition), (packet, receivedNs) =>
        {
            if (packet.Id == id)
            {
                found = new FrameRef(repetition, id, packet.At(Probe.TesterSend), receivedNs);
            }
        });
        return found;
    }

    /// <summary>
    /// Re-runs repetition <paramref name="repetition"/> of a run with seed <paramref name="seed"/>
    /// up to <paramref name="untilNs"/>, recording the timeline in <paramref name="windows"/>
    /// and the journeys of the frames <paramref name="watch"/> picks.
    /// </summary>
    public static Recording Record(VmSpec spec, ulong seed, int repetition, IReadOnlyList<(long FromNs, long ToNs)> windows, Func<Packet, bool> watch, long untilNs)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var timeline = new TimelineRecorder(windows);
        var sim = new Simulator(LatencyRun.RepetitionSeed(seed, repetition), timeline);
        var journeys = new JourneyRecorder(sim, watch);
        ITestbed topology = Testbed.Build(sim, spec, packet => journeys.OnBack(packet, sim.NowNs));
        topology.Tester.Sending = journeys.Watch;
        if (topology is VmTopology vm)
        {
            AddCounters(timeline, vm);
        }
        else if (topology is ContainerTopology container)
        {
            AddCounters(timeline, container, spec);
        }
        sim.Run(untilNs: LatencyRun.SettleNs);
        topology.Tester.Start();
        sim.Run(untilNs: Math.Max(untilNs, LatencyRun.SettleNs));
        timeline.Finish();
        return new Recording(topology, timeline, journeys);
    }

    /// <summary>
    /// Explains <paramref name="frames"/> (from <see cref="FindSlowest"/> or
    /// <see cref="FindFrame"/> of a run with <paramref name="seed"/>): each repetition
    /// concerned is re-run once with recording on, from <paramref name="aroundNs"/> before
    /// the earliest frame left to <paramref name="aroundNs"/> after the last came back.
    /// </summary>
    /// <exception cref="InvalidOperationException">When the re-run does not reproduce a frame (a model that is not deterministic by seed).</exception>
    public static Explanation Explain(VmSpec spec, ulong seed, IReadOnlyList<FrameRef> frames, long aroundNs = 0)
    {
        ArgumentNullException.ThrowIfNull(frames);
        ArgumentOutOfRangeException.ThrowIfNegative(aroundNs);
        var journeys = new List<PacketJourney>();
        var timelines = new Dictionary<int, TimelineRecorder>();
        foreach (IGrouping<int, FrameRef> group in frames.GroupBy(f => f.Repetition))
        {
            var ids = group.Select(f => f.Id).ToHashSet();
            var windows = group.Select(f => (Math.Max(0, f.SentNs - aroundNs), f.ReceivedNs + aroundNs)).ToList();
            Recording recording = Record(spec, seed, group.Key, windows, p => ids.Contains(p.Id), group.Max(f => f.ReceivedNs) + aroundNs);
            timelines[group.Key] = recording.Timeline;
            var words = new WaitWords(spec, recording.Timeline);
            foreach (FrameRef frame in group)
            {
                if (!recording.Journeys.Logs.TryGetValue(frame.Id, out FrameLog? log) || log.ReceivedNs != frame.ReceivedNs)
                {
                    throw new InvalidOperationException($"the re-run of repetition {frame.Repetition} did not reproduce frame {frame.Id} (back at {log?.ReceivedNs ?? -1} ns, expected {frame.ReceivedNs} ns)");
                }

                journeys.Add(Journey(frame, log, words));
            }
        }

        journeys = journeys.OrderByDescending(j => j.Frame.RttNs).ThenBy(j => j.Frame.Repetition).ThenBy(j => j.Frame.Id).ToList();
        return new Explanation(journeys, Shares(journeys), TopCompetitors(journeys), timelines);
    }

    /// <summary>The journey of one logged frame: stages between the probes it passed, with their waits explained.</summary>
    public static PacketJourney Journey(FrameRef frame, FrameLog log, WaitWords words)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(words);
        var probes = new List<ProbePass>();
        foreach (Probe probe in StageNames.Path)
        {
            int i = log.Probes.FindLastIndex(p => p.Probe == probe);
            if (i >= 0)
            {
                probes.Add(log.Probes[i]);
            }
        }

        var stages = new List<StageJourney>();
        for (int i = 0; i + 1 < probes.Count; i++)
        {
            ProbePass from = probes[i];
            ProbePass to = probes[i + 1];
            var waits = log.Waits.Where(w => w.Stage == from.Probe)
                .GroupBy(w => (w.Cause, w.Processor, w.Consumer))
                .Select(g => (Key: g.Key, DelayNs: g.Sum(w => w.DelayNs), FromNs: g.Min(w => w.FromNs), ToNs: g.Max(w => w.ToNs)))
                .ToList();

            // Re-charges moved time away from a cause whose record has no CPU: net them per cause.
            var net = waits.GroupBy(w => w.Key.Cause).ToDictionary(g => g.Key, g => g.Sum(w => w.DelayNs));
            var explained = new List<StageWait>();
            foreach (var group in waits.Where(w => w.DelayNs > 0).GroupBy(w => w.Key.Cause))
            {
                long positive = group.Sum(w => w.DelayNs);
                long keep = net[group.Key];
                foreach (var w in group.OrderByDescending(w => w.DelayNs))
                {
                    // Scale each record's part so that the cause's parts add up to its net time.
                    long delay = positive == keep ? w.DelayNs : (long)Math.Round((double)w.DelayNs * keep / positive);
                    if (delay <= 0)
                    {
                        continue;
                    }

                    IReadOnlyList<Competitor> competitors = words.Competitors(w.Key.Cause, w.Key.Processor, w.Key.Consumer, w.FromNs, w.ToNs);
                    explained.Add(new StageWait(w.Key.Cause, delay, w.Key.Processor, w.Key.Consumer, w.FromNs, w.ToNs, competitors,
                        words.Sentence(from.Probe, w.Key.Cause, delay, w.Key.Processor, w.Key.Consumer, competitors, w.FromNs, w.ToNs)));
                }
            }

            stages.Add(new StageJourney(StageNames.Stage(from.Probe, to.Probe), from.Probe, to.Probe, from.AtNs, to.AtNs,
                explained.OrderByDescending(w => w.DelayNs).ToList()));
        }

        return new PacketJourney(frame, probes, stages);
    }

    private static List<CauseShare> Shares(List<PacketJourney> journeys)
    {
        double total = journeys.Sum(j => (double)j.Frame.RttNs);
        var byCause = new Dictionary<WaitCause, long>();
        long waited = 0;
        foreach (StageWait w in journeys.SelectMany(j => j.Stages).SelectMany(s => s.Waits))
        {
            byCause[w.Cause] = byCause.GetValueOrDefault(w.Cause) + w.DelayNs;
            waited += w.DelayNs;
        }

        var shares = byCause.Select(kv => new CauseShare(kv.Key, kv.Value, total > 0 ? kv.Value / total : 0)).ToList();
        long other = journeys.Sum(j => j.Frame.RttNs) - waited;
        shares.Add(new CauseShare(null, other, total > 0 ? other / total : 0));
        return shares.OrderByDescending(s => s.DelayNs).ThenBy(s => s.Cause).ToList();
    }

    private static List<Competitor> TopCompetitors(List<PacketJourney> journeys) =>
        journeys.SelectMany(j => j.Stages).SelectMany(s => s.Waits)
            .Where(w => w.Cause is WaitCause.SoftirqDeferred or WaitCause.VcpuStopped or WaitCause.ThreadRunqueue or WaitCause.SoftirqCompetition)
            .SelectMany(w => w.Competitors)
            .GroupBy(c => (c.Name, c.Class, c.Processor))
            .Select(g => new Competitor(g.Key.Name, g.Key.Class, g.Key.Processor, g.Sum(c => c.RunNs), g.Sum(c => c.Slices)))
            .OrderByDescending(c => c.RunNs).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(8)
            .ToList();

    /// <summary>Counters of the container path's queues, sampled into <paramref name="timeline"/>.</summary>
    private static void AddCounters(TimelineRecorder timeline, ContainerTopology t, VmSpec spec)
    {
        Hardware.NicRxQueue rx = t.Nic.RxQueue;
        Hardware.NicTxQueue tx = t.Nic.TxQueue;
        timeline.AddCounter("host", "NIC Rx ring", () => rx.Count);
        timeline.AddCounter("host", "NIC Tx ring", () => tx.Count);
        foreach (Kernel.KernelCpu cpu in new[] { t.Host.Cpus[spec.NicIrqCpu], t.Host.Cpus[spec.ContainerAppCpu] })
        {
            timeline.AddCounter("host", $"backlog cpu{cpu.Id}", () => cpu.Backlog.Count);
            timeline.AddCounter("host", $"poll_list cpu{cpu.Id}", () => cpu.NetRxAction.PollList.Count);
            timeline.AddCounter("host", $"ksoftirqd/{cpu.Id} runnable", () => cpu.Ksoftirqd.State == Kernel.TaskState.Sleeping ? 0 : 1);
        }

        timeline.AddCounter("host", "container UDP socket", () => t.Socket.Count);
    }

    /// <summary>Counters of the queues on the path, sampled into <paramref name="timeline"/>.</summary>
    private static void AddCounters(TimelineRecorder timeline, VmTopology t)
    {
        Hardware.NicRxQueue rx = t.Nic.RxQueue;
        Hardware.NicTxQueue tx = t.Nic.TxQueue;
        timeline.AddCounter("host", "NIC Rx ring", () => rx.Count);
        timeline.AddCounter("host", "NIC Tx ring", () => tx.Count);
        if (t.Tap is { } tap)
        {
            timeline.AddCounter("host", "tap queue", () => tap.Count);
        }

        Kernel.KernelCpu hostIrq = t.Host.Cpus[t.Spec.NicIrqCpu];
        timeline.AddCounter("host", $"poll_list cpu{hostIrq.Id}", () => hostIrq.NetRxAction.PollList.Count);
        timeline.AddCounter("host", $"ksoftirqd/{hostIrq.Id} runnable", () => hostIrq.Ksoftirqd.State == Kernel.TaskState.Sleeping ? 0 : 1);
        Kernel.KernelCpu guestIrq = t.Guest.Cpus[t.Spec.GuestIrqCpu];
        timeline.AddCounter("guest", "virtio Rx used", () => t.GuestRx.Count);
        timeline.AddCounter("guest", "virtio Tx avail", () => t.GuestTx.Count);
        timeline.AddCounter("guest", "UDP socket", () => t.Socket.Count);
        timeline.AddCounter("guest", $"poll_list vcpu{guestIrq.Id}", () => guestIrq.NetRxAction.PollList.Count);
        timeline.AddCounter("guest", $"ksoftirqd/{guestIrq.Id} runnable", () => guestIrq.Ksoftirqd.State == Kernel.TaskState.Sleeping ? 0 : 1);
    }
}
