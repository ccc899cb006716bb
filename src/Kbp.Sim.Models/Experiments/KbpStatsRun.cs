using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Models.Experiments;

/// <summary>What the model's KBP threads counted in one repetition, as the module's statistics file would show them.</summary>
/// <param name="Host">The host's KBP threads, by CPU.</param>
/// <param name="Guest">The guest's KBP threads, by CPU.</param>
/// <param name="Tester">The tester's account of the same run.</param>
public sealed record KbpStatsResult(IReadOnlyList<KbpThreadStats> Host, IReadOnlyList<KbpThreadStats> Guest, TesterResult Tester);

/// <summary>
/// One repetition of a KBP VM scenario, run as <see cref="LatencyRun.RunOne"/> runs it
/// (settle, traffic, drain), keeping the topology to read its KBP threads' counters
/// afterwards. The counters start with the threads, as the module's start at load.
/// </summary>
public static class KbpStatsRun
{
    /// <summary>Runs <paramref name="spec"/> once with <paramref name="seed"/>.</summary>
    /// <exception cref="ArgumentException">The datapath is not KBP.</exception>
    public static KbpStatsResult Run(VmSpec spec, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Datapath != Datapath.Kbp)
        {
            throw new ArgumentException($"the datapath is {spec.Datapath}, not KBP: there are no KBP threads to count", nameof(spec));
        }

        var sim = new Simulator(seed);
        var topology = new VmTopology(sim, spec);
        sim.Run(untilNs: LatencyRun.SettleNs);
        topology.Tester.Start();
        sim.Run(untilNs: topology.Tester.EndNs + LatencyRun.DrainNs);
        return new KbpStatsResult(Threads(topology.HostKbp!), Threads(topology.GuestKbp!), topology.Tester.Result());
    }

    private static List<KbpThreadStats> Threads(KbpNapiScheduler kbp) =>
        kbp.Threads.OrderBy(t => t.Key).Select(t => new KbpThreadStats(t.Key, t.Value.Stats)).ToList();
}
