using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Scenarios;

namespace Kbp.Sim.Models.Topologies;

/// <summary>A system under test wired to its tester: what an experiment needs from any topology.</summary>
public interface ITestbed
{
    /// <summary>The traffic generator and analyzer.</summary>
    Tester Tester { get; }
}

/// <summary>Builds the testbed a spec's topology names.</summary>
public static class Testbed
{
    /// <summary>
    /// The VM, container or bare-metal-veth topology of <paramref name="spec"/>, built on
    /// <paramref name="sim"/>; <paramref name="onFrameBack"/> sees each frame as it reaches the tester.
    /// </summary>
    public static ITestbed Build(Simulator sim, VmSpec spec, Action<Packet>? onFrameBack = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Topology switch
        {
            Topology.Vm => new VmTopology(sim, spec, onFrameBack),
            Topology.BareMetalVeth => new BareMetalVethTopology(sim, spec, onFrameBack),
            _ => new ContainerTopology(sim, spec, onFrameBack),
        };
    }
}
