using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Models.Scenarios;

/// <summary>
/// A scenario, bound and validated: everything a run needs, in the units its names carry
/// (<c>RateBps</c>, <c>DurationNs</c>, <c>FrameBytes</c>, <c>HardirqNs</c>). Built by
/// <see cref="ScenarioLoader.Load(string, string?, IReadOnlyList{string})"/>; the format is
/// described in <c>docs/scenarios.md</c>.
/// </summary>
public sealed record ScenarioSpec
{
    /// <summary>The scenario's name (<c>name</c>; defaults to the file name without extension).</summary>
    public required string Name { get; init; }

    /// <summary>Free text (<c>description</c>).</summary>
    public required string Description { get; init; }

    /// <summary>The full path of the scenario file, or null when bound from memory.</summary>
    public string? SourcePath { get; init; }

    /// <summary>The full path of the calibration profile used, or null when none was.</summary>
    public string? ProfilePath { get; init; }

    /// <summary>The system under test (<c>topology</c>, required).</summary>
    public required Topology Topology { get; init; }

    /// <summary>NAPI or KBP (<c>datapath</c>, required).</summary>
    public required Datapath Datapath { get; init; }

    /// <summary>The kernel (<c>kernel</c>).</summary>
    public required KernelSpec Kernel { get; init; }

    /// <summary>The physical host (<c>host</c>).</summary>
    public required HostSpec Host { get; init; }

    /// <summary>The guest VM (<c>guest</c>).</summary>
    public required GuestSpec Guest { get; init; }

    /// <summary>The physical NIC (<c>nic</c>).</summary>
    public required NicSpec Nic { get; init; }

    /// <summary>The virtio-net device (<c>virtio</c>).</summary>
    public required VirtioSpec Virtio { get; init; }

    /// <summary>The container (<c>container</c>), used by the docker and kubernetes-pod topologies.</summary>
    public required ContainerSpec Container { get; init; }

    /// <summary>The bare-metal-veth topology's setup (<c>bareMetalVeth</c>); its defaults for other topologies.</summary>
    public BareMetalVethSpec BareMetalVeth { get; init; } = BareMetalVethSpec.Default;

    /// <summary>The offered traffic (<c>traffic</c>).</summary>
    public required TrafficSpec Traffic { get; init; }

    /// <summary>Background load (<c>interference</c>).</summary>
    public required InterferenceSpec Interference { get; init; }

    /// <summary>Calibrated CPU costs (<c>costs</c>).</summary>
    public required CostsSpec Costs { get; init; }

    /// <summary>Optional outputs (<c>outputs</c>).</summary>
    public required OutputsSpec Outputs { get; init; }

    /// <summary>
    /// Binds and validates a scenario from a reader at the top of its configuration. Field
    /// problems are collected in one pass; the checks between fields run when the fields are
    /// valid; unknown keys are reported first.
    /// </summary>
    /// <param name="root">A reader at the top of the merged configuration.</param>
    /// <param name="defaultName">The name when the scenario gives none (the file name without extension).</param>
    /// <returns>The scenario.</returns>
    /// <exception cref="ScenarioException">The input is invalid; <see cref="ScenarioException.Errors"/> lists every problem.</exception>
    public static ScenarioSpec Bind(ScenarioReader root, string defaultName)
    {
        ArgumentNullException.ThrowIfNull(root);
        string name = root.String("name", defaultName);
        if (name.Trim().Length == 0)
        {
            root.Invalid("name", "expected a non-empty name such as vm-kbp-1gbps-1518b");
        }

        string description = root.String("description", string.Empty);
        root.String("profile", string.Empty); // read by ScenarioSources; here only so it is a known key
        Topology topology = root.Enum<Topology>("topology");
        Datapath datapath = root.Enum<Datapath>("datapath");
        KernelSpec kernel = KernelSpec.Bind(root.Section("kernel"));
        GuestSpec guest = GuestSpec.Bind(root.Section("guest"));
        HostSpec host = HostSpec.Bind(root.Section("host"), guest.Vcpus);
        var spec = new ScenarioSpec
        {
            Name = name,
            Description = description,
            SourcePath = root.Sources.ScenarioPath,
            ProfilePath = root.Sources.ProfilePath,
            Topology = topology,
            Datapath = datapath,
            Kernel = kernel,
            Host = host,
            Guest = guest,
            Nic = NicSpec.Bind(root.Section("nic")),
            Virtio = VirtioSpec.Bind(root.Section("virtio")),
            Container = ContainerSpec.Bind(root.Section("container")),
            BareMetalVeth = BareMetalVethSpec.Bind(root.Section("bareMetalVeth")),
            Traffic = TrafficSpec.Bind(root.Section("traffic"), messages: topology == Topology.BareMetalVeth),
            Interference = InterferenceSpec.Bind(root.Section("interference")),
            Costs = CostsSpec.Bind(root.Section("costs")),
            Outputs = OutputsSpec.Bind(root.Section("outputs")),
        };

        if (root.Errors.Count == 0)
        {
            ScenarioChecks.Check(spec, root);
        }

        root.ThrowIfInvalid();
        return spec;
    }
}
