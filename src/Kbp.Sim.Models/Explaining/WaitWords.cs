using System.Globalization;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Topologies;
using Kbp.Sim.Time;

namespace Kbp.Sim.Models.Explaining;

/// <summary>
/// Puts a recorded wait into words: where the frame waited (from the stage and the CPU the
/// model named), the kernel mechanism (from the cause the model charged), and the competing
/// contexts (from what the timeline recorded on the blocking CPU during the wait).
/// </summary>
public sealed class WaitWords
{
    private const int MaxCompetitors = 3;
    private readonly VmSpec _spec;
    private readonly Dictionary<string, List<TimelineSlice>> _byProcessor;
    private readonly List<TimelineMark> _throttling;

    /// <summary>Words for waits of a run of <paramref name="spec"/> recorded in <paramref name="timeline"/>.</summary>
    public WaitWords(VmSpec spec, TimelineRecorder timeline)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(timeline);
        _spec = spec;
        _byProcessor = timeline.Slices.GroupBy(s => s.Processor, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.StartNs).ToList(), StringComparer.Ordinal);
        _throttling = timeline.Marks.Where(m => m.Context is Kernel.RunQueue.RtThrottledMark or Kernel.RunQueue.RtUnthrottledMark).ToList();
    }

    /// <summary>
    /// True when RT threads were throttled on <paramref name="processor"/> at some point of
    /// [<paramref name="fromNs"/>, <paramref name="toNs"/>] (a throttle recorded in it, or one
    /// recorded before it and not yet lifted).
    /// </summary>
    public bool RtThrottledDuring(string processor, long fromNs, long toNs)
    {
        bool throttled = false;
        foreach (TimelineMark m in _throttling)
        {
            if (m.Processor != processor || m.TimeNs > toNs)
            {
                continue;
            }

            throttled = m.Context == Kernel.RunQueue.RtThrottledMark;
            if (throttled && m.TimeNs >= fromNs)
            {
                return true;
            }
        }

        return throttled;
    }

    /// <summary>"vCPU 1" for "guest/vcpu1", "host CPU 3" for "host/cpu3".</summary>
    public static string CpuWords(string processor)
    {
        ArgumentNullException.ThrowIfNull(processor);
        if (processor.StartsWith("guest/vcpu", StringComparison.Ordinal))
        {
            return "vCPU " + processor["guest/vcpu".Length..];
        }

        if (processor.StartsWith("host/cpu", StringComparison.Ordinal))
        {
            return "host CPU " + processor["host/cpu".Length..];
        }

        return processor;
    }

    /// <summary>The scheduling class of a priority class number.</summary>
    public static string ClassWords(int priorityClass) => priorityClass switch
    {
        0 => "hardIRQ",
        1 => "softIRQ",
        2 => "RT",
        3 => "CFS",
        _ => "?",
    };

    /// <summary>
    /// What ran on the CPU that blocked the frame during [<paramref name="fromNs"/>,
    /// <paramref name="toNs"/>], the waiting consumer itself left out. For a stopped vCPU
    /// that is the host CPU its thread runs on.
    /// </summary>
    public IReadOnlyList<Competitor> Competitors(WaitCause cause, string? processor, string? consumer, long fromNs, long toNs)
    {
        // Only the blocking causes have a competitor: the others are queueing in order behind
        // earlier frames, the NIC, or a sleeping consumer.
        if (processor is null || cause is not (WaitCause.SoftirqDeferred or WaitCause.VcpuStopped or WaitCause.ThreadRunqueue or WaitCause.SoftirqCompetition))
        {
            return [];
        }

        string target = processor;
        var excluded = new HashSet<string>(StringComparer.Ordinal);
        if (consumer is not null)
        {
            excluded.Add("thread:" + consumer);
            excluded.Add("thread:" + consumer + " (bh off)");
        }

        if (cause == WaitCause.VcpuStopped && VcpuIndex(processor) is int vcpu && vcpu < _spec.VcpuHostCpus.Count)
        {
            target = $"host/cpu{_spec.VcpuHostCpus[vcpu]}";
            excluded.Add($"thread:CPU {vcpu}/KVM");
        }
        else if (cause == WaitCause.SoftirqDeferred)
        {
            string ksoftirqd = $"thread:ksoftirqd/{CpuNumber(processor)}";
            excluded.Add(ksoftirqd);
            excluded.Add(ksoftirqd + " (bh off)");
        }

        if (!_byProcessor.TryGetValue(target, out List<TimelineSlice>? slices))
        {
            return [];
        }

        var sums = new Dictionary<(string Name, int Class), (long RunNs, int Slices)>();
        foreach (TimelineSlice s in slices)
        {
            if (s.StartNs >= toNs)
            {
                break;
            }

            long overlap = Math.Min(s.EndNs, toNs) - Math.Max(s.StartNs, fromNs);
            if (overlap <= 0 || excluded.Contains(s.Context))
            {
                continue;
            }

            var key = (NameOf(s), s.PriorityClass);
            (long run, int n) = sums.GetValueOrDefault(key);
            sums[key] = (run + overlap, n + 1);
        }

        return sums.Select(kv => new Competitor(kv.Key.Name, ClassWords(kv.Key.Class), target, kv.Value.RunNs, kv.Value.Slices))
            .OrderByDescending(c => c.RunNs).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(MaxCompetitors).ToList();
    }

    /// <summary>The display name of a recorded context: the thread's comm, "hardIRQ eth0-rx-0", "softIRQs at irq exit".</summary>
    public static string NameOf(TimelineSlice slice) => slice.Context switch
    {
        "hardirq" => slice.Name is null ? "hardIRQ" : "hardIRQ " + slice.Name,
        "softirq" => "softIRQs at irq exit",
        string c when c.StartsWith("thread:", StringComparison.Ordinal) => c["thread:".Length..],
        string c => c,
    };

    /// <summary>
    /// One sentence: "waited 3.1 ms in the guest Rx virtqueue, waiting for NET_RX on vCPU 0:
    /// NET_RX was deferred to ksoftirqd/0, which was runnable behind 'kworker/0:1' (CFS, 1 slice, 2.9 ms) on vCPU 0".
    /// </summary>
    public string Sentence(Probe stage, WaitCause cause, long delayNs, string? processor, string? consumer, IReadOnlyList<Competitor> competitors, long fromNs = 0, long toNs = long.MaxValue)
    {
        string cpu = processor is null ? "the CPU" : CpuWords(processor);
        string behind = competitors.Count == 0 ? string.Empty : " behind " + Join(competitors);
        string on = competitors.Count == 0 ? string.Empty : " on " + CpuWords(competitors[0].Processor);
        string throttled = string.Empty;
        if (processor is not null && (cause is WaitCause.VcpuStopped or WaitCause.ThreadRunqueue))
        {
            string target = cause == WaitCause.VcpuStopped && VcpuIndex(processor) is int i && i < _spec.VcpuHostCpus.Count ? $"host/cpu{_spec.VcpuHostCpus[i]}" : processor;
            if (RtThrottledDuring(target, fromNs, toNs))
            {
                throttled = $"; RT throttling: the RT threads of {CpuWords(target)} had used their sched_rt_runtime in this period and had to wait for the next";
            }
        }

        string mechanism = cause switch
        {
            WaitCause.SoftirqDeferred => $"NET_RX was deferred to ksoftirqd/{CpuNumber(processor)}, which was runnable{behind}{on} (ksoftirqd is a CFS thread: it waits its turn like any other)",
            WaitCause.VcpuStopped => VcpuIndex(processor) is int v
                ? $"vCPU {v}'s thread 'CPU {v}/KVM' was off its host CPU (preempted or not yet scheduled){(competitors.Count == 0 ? string.Empty : "; " + CpuWords(competitors[0].Processor) + " ran " + Join(competitors))}"
                : "the vCPU was off its host CPU",
            WaitCause.ThreadRunqueue => $"{consumer ?? "the consuming thread"} was runnable{behind}{on}",
            WaitCause.SoftirqCompetition => $"{cpu} was busy in interrupts and other softIRQ work{(competitors.Count == 0 ? string.Empty : ": " + Join(competitors))}",
            WaitCause.PollList => $"the poller on {cpu} took the frames queued ahead of it first (one poll takes up to the napi weight, in order)",
            WaitCause.RingQueueing => "queued behind earlier frames until the poller reached it",
            WaitCause.InterruptModeration => "the NIC held its interrupt back (interrupt moderation, or the IRQ masked while NAPI polls)",
            WaitCause.NicSerialization => "serialization at line rate behind the frames queued ahead",
            WaitCause.Wakeup => $"{consumer ?? "the consumer"} was not taking frames: asleep until woken and switched in, or busy with earlier work",
            WaitCause.SocketQueue => "queued behind earlier datagrams for the application",
            WaitCause.CpuFrequency => "the CPU ran below its nominal clock (cpufreq governor)",
            _ => cause.ToString(),
        };
        return $"waited {SimTime.Format(delayNs)} {Place(stage, processor)}: {mechanism}{throttled}";
    }

    /// <summary>Where in the path a wait of the stage starting at <paramref name="stage"/> happened.</summary>
    public string Place(Probe stage, string? processor)
    {
        bool guest = processor?.StartsWith("guest/", StringComparison.Ordinal) ?? false;
        string guestPoller = _spec.Datapath switch
        {
            Datapath.Kbp => "the guest KBP thread",
            Datapath.ThreadedNapi => "the guest napi thread",
            _ => "NET_RX (the guest poll_list)",
        };
        string hostPoller = _spec.Datapath switch
        {
            Datapath.Kbp => "the host KBP thread",
            Datapath.OvsDpdk => "the OvS-DPDK PMD thread",
            Datapath.ThreadedNapi => "the host napi thread",
            _ => "NET_RX (the host poll_list)",
        };
        if (_spec.Topology != Scenarios.Topology.Vm)
        {
            return stage switch
            {
                Probe.TesterSend => $"in the host NIC Rx ring, for {hostPoller}",
                Probe.Rxh0 => "in the host's receive processing (driver poll, bridge, conntrack and NAT, veth)",
                Probe.Rxh1 => "on the backlog of the polling CPU, for NET_RX (process_backlog)",
                Probe.Rxg0 => "in the container's receive processing (IP/UDP)",
                Probe.Rxg1 => "in the UDP socket, for the application",
                Probe.Txg0 => "in sendto in the container",
                Probe.Txg1 => "in veth_xmit",
                Probe.Txg2 => "on the backlog of the application's CPU, for NET_RX (process_backlog)",
                Probe.Txh0 => "in the host's transmit path (bridge, conntrack and NAT, driver)",
                Probe.Txh1 => "in the NIC Tx ring",
                _ => "on the way back to the tester",
            };
        }

        return stage switch
        {
            Probe.TesterSend => $"in the host NIC Rx ring, for {hostPoller}",
            Probe.Rxh0 => "in the host's receive processing (driver poll, bridge, tap)",
            Probe.Rxh1 when guest => $"in the guest Rx virtqueue, for {guestPoller}",
            Probe.Rxh1 => _spec.Datapath == Datapath.OvsDpdk ? "in the vhost-user port, for the PMD" : "in the tap queue, for vhost-net",
            Probe.Rxg0 => "in the guest's receive processing (virtio-net poll, IP/UDP)",
            Probe.Rxg1 => "in the UDP socket, for the application",
            Probe.Txg0 => "in sendto and virtio-net transmit",
            Probe.Txg1 when guest => "in the kick to the host (VM exit)",
            Probe.Txg1 => _spec.Datapath == Datapath.OvsDpdk
                ? "in the guest Tx virtqueue, for the PMD (which is never kicked)"
                : "in the guest Tx virtqueue, for vhost-net, which had asked not to be kicked",
            Probe.Txg2 => _spec.Datapath == Datapath.OvsDpdk ? "in the PMD's vhost-user dequeue" : "in the guest Tx virtqueue, for vhost-net after the kick",
            Probe.Txh0 => "in the host's transmit path (tap, stack, driver)",
            Probe.Txh1 => "in the NIC Tx ring",
            _ => "on the way back to the tester",
        };
    }

    private static string Join(IReadOnlyList<Competitor> competitors) =>
        string.Join(", ", competitors.Select(c => string.Create(
            CultureInfo.InvariantCulture,
            $"'{c.Name}' ({c.Class}, {c.Slices} slice{(c.Slices == 1 ? string.Empty : "s")}, {SimTime.Format(c.RunNs)})")));

    private static int? VcpuIndex(string? processor) =>
        processor is not null && processor.StartsWith("guest/vcpu", StringComparison.Ordinal)
            && int.TryParse(processor["guest/vcpu".Length..], NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : null;

    private static string CpuNumber(string? processor)
    {
        if (processor is null)
        {
            return "N";
        }

        int i = processor.Length;
        while (i > 0 && char.IsAsciiDigit(processor[i - 1]))
        {
            i--;
        }

        return processor[i..];
    }
}
