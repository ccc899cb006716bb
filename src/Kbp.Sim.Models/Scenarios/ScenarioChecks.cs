using System.Globalization;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Models.Scenarios;

/// <summary>
/// The checks between keys of a bound scenario. Each failure is one line naming both keys
/// and their values: CPUs that do not exist, a vCPU placement of the wrong length, KBP or
/// OvS-DPDK with no CPU for its threads, and offered load above the line rate.
/// </summary>
internal static class ScenarioChecks
{
    public static void Check(ScenarioSpec spec, ScenarioReader root)
    {
        if (spec.Topology == Topology.BareMetalVeth)
        {
            // Its CPUs are its own keys'; the NIC, vhost and vCPU placement keys do not apply.
            BareMetalVethSpec.Check(spec, root);
            return;
        }

        CheckHostCpus(spec, root);
        CheckGuestCpus(spec, root);
        CheckPollerCpus(spec, root);
        CheckLineRate(spec, root);
        for (int i = 0; i < spec.Interference.Host.Count; i++)
        {
            spec.Interference.Host[i].Check(root, $"interference.host.{i}");
        }

        for (int i = 0; i < spec.Interference.Guest.Count; i++)
        {
            spec.Interference.Guest[i].Check(root, $"interference.guest.{i}");
        }
    }

    private static void CheckHostCpus(ScenarioSpec spec, ScenarioReader root)
    {
        HostSpec host = spec.Host;
        string range = $"host.cpus is {host.Cpus}, so host CPUs are 0-{host.Cpus - 1}";
        int before = root.Errors.Count;
        CheckCpu(root, "host.nicIrqCpu", host.NicIrqCpu, host.Cpus, "host.cpus", range);
        CheckCpu(root, "host.vhostCpu", host.VhostCpu, host.Cpus, "host.cpus", range);
        if (host.VcpuCpus.Count != spec.Guest.Vcpus)
        {
            root.Conflict("host.vcpuCpus", "guest.vcpus", $"host.vcpuCpus lists {Count(host.VcpuCpus.Count, "host CPU")} ({List(host.VcpuCpus)}) but guest.vcpus is {spec.Guest.Vcpus}: give one host CPU per vCPU");
        }
        else if (!root.Has("host.vcpuCpus"))
        {
            // The default follows host.nicIrqCpu and host.vhostCpu: blame it only when those are valid.
            if (root.Errors.Count == before && host.VcpuCpus.Any(c => c >= host.Cpus))
            {
                root.Conflict("host.vcpuCpus", "host.cpus", $"host.vcpuCpus is not set and its default (CPUs {List(host.VcpuCpus)}, after host.nicIrqCpu and host.vhostCpu) does not fit in host.cpus {host.Cpus}: set host.vcpuCpus");
            }
        }
        else
        {
            CheckCpus(root, "host.vcpuCpus", host.VcpuCpus, host.Cpus, "host.cpus", range);
        }

        CheckCpus(root, "host.isolcpus", host.IsolatedCpus, host.Cpus, "host.cpus", range);
        CheckCpu(root, "container.appCpu", spec.Container.AppCpu, host.Cpus, "host.cpus", range);
        if (root.Has("host.ovs.pmdCpus"))
        {
            // Unset, it defaults to host.nicIrqCpu and host.vhostCpu, checked above.
            CheckCpus(root, "host.ovs.pmdCpus", host.Ovs.PmdCpus, host.Cpus, "host.cpus", range);
        }

        if (root.Has("host.kbp.cpus"))
        {
            // Unset, it defaults to host.nicIrqCpu, checked above.
            CheckCpus(root, "host.kbp.cpus", host.Kbp.Cpus, host.Cpus, "host.cpus", range);
        }

        for (int i = 0; i < spec.Interference.Host.Count; i++)
        {
            CheckCpu(root, $"interference.host.{i}.cpu", spec.Interference.Host[i].Cpu, host.Cpus, "host.cpus", range);
        }
    }

    private static void CheckGuestCpus(ScenarioSpec spec, ScenarioReader root)
    {
        GuestSpec guest = spec.Guest;
        string range = $"guest.vcpus is {guest.Vcpus}, so guest CPUs are 0-{guest.Vcpus - 1}";
        CheckCpu(root, "guest.irqCpu", guest.IrqCpu, guest.Vcpus, "guest.vcpus", range);
        CheckCpu(root, "guest.appCpu", guest.AppCpu, guest.Vcpus, "guest.vcpus", range);
        if (root.Has("guest.kbp.cpus"))
        {
            // Unset, it defaults to guest.irqCpu, checked above.
            CheckCpus(root, "guest.kbp.cpus", guest.Kbp.Cpus, guest.Vcpus, "guest.vcpus", range);
        }

        for (int i = 0; i < spec.Interference.Guest.Count; i++)
        {
            CheckCpu(root, $"interference.guest.{i}.cpu", spec.Interference.Guest[i].Cpu, guest.Vcpus, "guest.vcpus", range);
        }
    }

    private static void CheckPollerCpus(ScenarioSpec spec, ScenarioReader root)
    {
        if (spec.Topology != Topology.Vm && spec.Datapath == Datapath.OvsDpdk)
        {
            root.Conflict("datapath", "topology", "datapath ovs-dpdk needs topology vm (OvS-DPDK serves a guest through vhost-user); the container topologies run napi or kbp");
        }

        if (spec.Datapath == Datapath.OvsDpdk && spec.Host.Ovs.PmdCpus.Count == 0)
        {
            root.Conflict("host.ovs.pmdCpus", "datapath", "datapath is ovs-dpdk but host.ovs.pmdCpus is empty: list at least one CPU for a PMD thread, such as [2, 3]");
        }

        if (spec.Datapath != Datapath.Kbp)
        {
            return;
        }

        if (spec.Host.Kbp.Cpus.Count == 0)
        {
            root.Conflict("host.kbp.cpus", "datapath", "datapath is kbp but host.kbp.cpus is empty: list at least one CPU for a KBP thread, such as [2]");
        }

        if (spec.Guest.Kbp.Cpus.Count == 0)
        {
            root.Conflict("guest.kbp.cpus", "datapath", "datapath is kbp but guest.kbp.cpus is empty: list at least one CPU for a KBP thread, such as [1]");
        }
    }

    private static void CheckLineRate(ScenarioSpec spec, ScenarioReader root)
    {
        TrafficSpec traffic = spec.Traffic;
        double lineBps = spec.Nic.RateBps;
        if (traffic.WireRateBps <= lineBps * (1 + 1e-12))
        {
            return;
        }

        string layer = traffic.RateLayer == RateLayer.L1 ? "l1" : "l2";
        string wire = traffic.RateLayer == RateLayer.L1
            ? string.Empty
            : $" is {Units.FormatRate(traffic.WireRateBps)} on the wire with {TrafficSpec.EthernetOverheadBytes}B of preamble and gap per {traffic.FrameBytes}B frame, which";
        root.Conflict(
            "traffic.rate",
            "nic.rate",
            $"offered load exceeds line rate: {Units.FormatRate(traffic.RateBps)} ({layer}){wire} exceeds nic.rate {Units.FormatRate(lineBps)}; the most that fits is {Units.FormatRate(MaxRate(traffic, lineBps))} ({layer})");
    }

    private static double MaxRate(TrafficSpec traffic, double lineBps) => traffic.RateLayer == RateLayer.L1
        ? lineBps
        : lineBps * traffic.FrameBytes / (traffic.FrameBytes + TrafficSpec.EthernetOverheadBytes);

    private static void CheckCpu(ScenarioReader root, string key, int cpu, int count, string countKey, string range)
    {
        if (cpu >= count)
        {
            root.Conflict(key, countKey, $"CPU {cpu} is out of range: {range}");
        }
    }

    private static void CheckCpus(ScenarioReader root, string key, IReadOnlyList<int> cpus, int count, string countKey, string range)
    {
        foreach (int cpu in cpus)
        {
            if (cpu >= count)
            {
                root.Conflict(key, countKey, $"CPU {cpu} (in {List(cpus)}) is out of range: {range}");
                return;
            }
        }
    }

    private static string List(IReadOnlyList<int> values) =>
        string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
