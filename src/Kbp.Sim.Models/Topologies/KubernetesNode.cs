using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Time;

namespace Kbp.Sim.Models.Topologies;

/// <summary>
/// The Kubernetes daemons of the paper's single-node cluster (Kubernetes 1.18, §6: "kube-
/// scheduler and related threads run on the node and take CPU time from ksoftirqd"), as
/// fair-class threads with periodic CPU demand on the packet CPU. Their periods come from
/// the components' own defaults; their bursts are assumptions (docs/calibration.md,
/// "Kubernetes node"), the same for every scenario.
/// </summary>
public static class KubernetesNode
{
    /// <summary>The daemons' loads, placed on <paramref name="cpu"/>.</summary>
    public static IReadOnlyList<InterferenceOptions> Daemons(int cpu) =>
    [
        // kubelet: syncFrequency / PLEG relist, every 1 s.
        Daemon("kubelet", cpu, SimTime.NsPerS, 3 * SimTime.NsPerMs),
        // kube-apiserver: watch and lease traffic from the other components, about every second.
        Daemon("kube-apiserver", cpu, SimTime.NsPerS, 2 * SimTime.NsPerMs),
        // etcd: raft heartbeat-interval 100 ms.
        Daemon("etcd", cpu, 100 * SimTime.NsPerMs, 300 * SimTime.NsPerUs),
        // kube-scheduler and kube-controller-manager: leader-election retry period 2 s.
        Daemon("kube-scheduler", cpu, 2 * SimTime.NsPerS, 2 * SimTime.NsPerMs),
        Daemon("kube-controller-manager", cpu, 2 * SimTime.NsPerS, 2 * SimTime.NsPerMs),
        // kube-proxy: iptables resync, --iptables-sync-period 30 s (iptables-restore).
        Daemon("kube-proxy", cpu, 30 * SimTime.NsPerS, 20 * SimTime.NsPerMs),
    ];

    private static InterferenceOptions Daemon(string name, int cpu, long periodNs, long burstNs) => new()
    {
        Name = name,
        Cpu = cpu,
        Policy = SchedPolicy.Fair,
        PeriodNs = periodNs,
        BurstNs = burstNs,
        Jitter = 0.2,
        Wakeup = InterferenceWakeup.Hrtimer,
    };
}
