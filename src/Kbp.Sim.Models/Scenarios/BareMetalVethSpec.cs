using System.Globalization;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Models.Scenarios;

/// <summary>
/// The keys of the <c>bare-metal-veth</c> topology (<c>bareMetalVeth:</c>), the real-kernel
/// harness's setup (tests/real-kernel/harness.sh): where sockperf's client and server are
/// pinned, whether the server's veth has GRO (and so a NAPI of its own), the CPUs that run a
/// <c>stress-ng --cpu</c> worker, and how long a wakeup of a thread on an idle CPU takes to
/// reach it. The sockperf message rate and size are <c>traffic.messageRate</c> and
/// <c>traffic.messageSize</c>.
/// </summary>
public sealed record BareMetalVethSpec
{
    /// <summary>The defaults: client on CPU 0, server on CPU 1, no GRO, no stress, no idle wakeup cost.</summary>
    public static BareMetalVethSpec Default { get; } = new() { ClientCpu = 0, ServerCpu = 1, Gro = false, StressCpus = [], IdleWakeupNs = 0 };

    /// <summary>The sockperf client's CPU, its taskset (<c>bareMetalVeth.clientCpu</c>, default 0).</summary>
    public required int ClientCpu { get; init; }

    /// <summary>The sockperf server's CPU (<c>bareMetalVeth.serverCpu</c>, default 1).</summary>
    public required int ServerCpu { get; init; }

    /// <summary>
    /// <c>ethtool -K &lt;server veth&gt; gro on rx-udp-gro-forwarding on</c>: the server's veth
    /// gets its NAPI, polled by veth_poll (<c>bareMetalVeth.gro</c>, default false).
    /// </summary>
    public required bool Gro { get; init; }

    /// <summary>CPUs each running one <c>stress-ng --cpu 1</c> worker pinned with taskset (<c>bareMetalVeth.stressCpus</c>, default none).</summary>
    public required IReadOnlyList<int> StressCpus { get; init; }

    /// <summary>
    /// Time for a wakeup to reach a thread whose CPU is idle (<c>bareMetalVeth.idleWakeup</c>,
    /// default 0): on a VM whose idle vCPU halts, the reschedule IPI goes through the hypervisor.
    /// </summary>
    public required long IdleWakeupNs { get; init; }

    internal static BareMetalVethSpec Bind(ScenarioReader r)
    {
        const int MaxCpu = HostSpec.MaxCpus - 1;
        return new BareMetalVethSpec
        {
            ClientCpu = r.Int("clientCpu", 0, MaxCpu, Default.ClientCpu),
            ServerCpu = r.Int("serverCpu", 0, MaxCpu, Default.ServerCpu),
            Gro = r.Bool("gro", Default.Gro),
            StressCpus = r.IntList("stressCpus", 0, MaxCpu, Default.StressCpus),
            IdleWakeupNs = r.Duration("idleWakeup", Default.IdleWakeupNs, maxNs: 1_000_000_000),
        };
    }

    /// <summary>
    /// The checks between keys for <c>topology: bare-metal-veth</c>: CPUs inside <c>host.cpus</c>,
    /// client and server apart, a datapath the veth path has, and sockperf's traffic shape.
    /// </summary>
    internal static void Check(ScenarioSpec spec, ScenarioReader root)
    {
        BareMetalVethSpec v = spec.BareMetalVeth;
        int cpus = spec.Host.Cpus;
        string range = $"host.cpus is {cpus}, so host CPUs are 0-{cpus - 1}";
        foreach ((string key, int cpu) in new[] { ("bareMetalVeth.clientCpu", v.ClientCpu), ("bareMetalVeth.serverCpu", v.ServerCpu) })
        {
            if (cpu >= cpus)
            {
                root.Conflict(key, "host.cpus", $"CPU {cpu} is out of range: {range}");
            }
        }

        if (v.StressCpus.FirstOrDefault(c => c >= cpus, -1) is int bad and >= 0)
        {
            root.Conflict("bareMetalVeth.stressCpus", "host.cpus", $"CPU {bad} (in {string.Join(",", v.StressCpus.Select(c => c.ToString(CultureInfo.InvariantCulture)))}) is out of range: {range}");
        }

        if (v.ClientCpu == v.ServerCpu)
        {
            root.Conflict("bareMetalVeth.serverCpu", "bareMetalVeth.clientCpu", $"client and server are both on CPU {v.ClientCpu}: the harness pins them to different CPUs; choose two");
        }

        if (spec.Datapath is not (Datapath.Napi or Datapath.ThreadedNapi))
        {
            root.Conflict("datapath", "topology", $"topology bare-metal-veth runs datapath napi or threaded-napi (threaded=1 on the server's veth), not {ScenarioReader.KebabName(spec.Datapath.ToString())}");
        }
        else if (spec.Datapath == Datapath.ThreadedNapi && !v.Gro)
        {
            root.Conflict("datapath", "bareMetalVeth.gro", "datapath threaded-napi needs bareMetalVeth.gro: true: a veth has a NAPI (and so a napi thread) only with GRO or XDP on");
        }

        if (spec.Traffic.Pattern != Hardware.TrafficPattern.Cbr)
        {
            root.Conflict("traffic.pattern", "topology", $"sockperf ping-pong sends at a fixed rate: traffic.pattern must be cbr for topology bare-metal-veth, not {ScenarioReader.KebabName(spec.Traffic.Pattern.ToString())}");
        }

        double l1Bps = Hardware.Ethernet.L1RateBps(spec.Traffic.RateBps, spec.Traffic.FrameBytes);
        if (l1Bps > Hardware.Ethernet.MaxRateBps)
        {
            root.Conflict("traffic.messageRate", "traffic.messageSize", FormattableString.Invariant($"{spec.Traffic.MessagesPerSecond} messages/s of {spec.Traffic.MessageBytes}B is {l1Bps / 1e9:0.#} Gbit/s of frames; the model's pacing allows at most {Hardware.Ethernet.MaxRateBps / 1e9:0} Gbit/s"));
        }

        if (spec.Traffic.Mode != Hardware.TesterMode.Echo)
        {
            root.Conflict("traffic.mode", "topology", "sockperf ping-pong measures round trips: traffic.mode must be echo for topology bare-metal-veth");
        }
    }
}
