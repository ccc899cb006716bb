using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;
using Kbp.Sim.Tests.Contract;

namespace Kbp.Sim.Tests.Topologies;

public class VmScenarioTests
{
    private static string PaperScenario(string name) =>
        RepositoryFiles.PaperScenario(name);

    private static VmSpec Load(string name, params string[] sets) =>
        VmScenario.ToVmSpec(ScenarioLoader.Load(PaperScenario(name), null, sets));

    [Fact]
    public void Costs_are_scaled_from_the_reference_clock_to_the_host_clock()
    {
        VmSpec at2GHz = Load("vm-napi-80mbps-1518b.yaml");
        VmSpec at1_7GHz = Load("vm-napi-80mbps-1518b.yaml", "host.clock=1.7GHz");

        // The paper's 2.20 us guest receive cost was measured at 1.7 GHz.
        Assert.Equal(1_870, at2GHz.GuestRxPerPacketNs);
        Assert.Equal(2_200, at1_7GHz.GuestRxPerPacketNs);
        Assert.Equal((long)Math.Round(at2GHz.HostCosts.HardIrqNs * 2.0 / 1.7), at1_7GHz.HostCosts.HardIrqNs);
    }

    [Fact]
    public void Isolcpus_keeps_unbound_daemons_off_the_packet_cpus_but_not_per_cpu_kthreads()
    {
        VmSpec tuned = Load("vm-napi-80mbps-1518b.yaml");
        VmSpec untuned = Load("vm-napi-80mbps-1518b.yaml", "host.isolcpus=");

        Assert.DoesNotContain(tuned.HostInterference, load => load.Name == "systemd");
        Assert.Contains(tuned.HostInterference, load => load.Name == "kworker/3:1");
        Assert.Contains(untuned.HostInterference, load => load.Name == "systemd");
    }

    [Fact]
    public void The_OvS_DPDK_scenarios_give_each_PMD_its_own_core_and_DPDK_sized_rings()
    {
        VmSpec ovs = Load("vm-ovs-dpdk-1gbps-1518b.yaml");

        Assert.Equal(Datapath.OvsDpdk, ovs.Datapath);
        Assert.Equal([2, 3], ovs.OvsPmdCpus);
        Assert.Equal(32, ovs.OvsBurst);
        Assert.Equal(2048, ovs.Nic.RxRingSize);
        Assert.DoesNotContain(ovs.OvsPmdCpus, cpu => ovs.VcpuHostCpus.Contains(cpu));

        // vhost_vring_call = the eventfd write plus KVM's irqfd delivery.
        Assert.Equal(300 + 500, ovs.Ovs.CallNs);
    }

    [Fact]
    public void Host_and_guest_can_run_different_kernel_profiles()
    {
        VmSpec same = Load("vm-napi-80mbps-1518b.yaml");
        VmSpec mixed = Load("vm-napi-80mbps-1518b.yaml", "kernel.guestVersion=6.12");

        Assert.Equal(KernelVersion.V4_15, same.GuestKernel.Version);
        Assert.Equal(KernelVersion.V4_15, mixed.HostKernel.Version);
        Assert.Equal(KernelVersion.V6_12, mixed.GuestKernel.Version);
        Assert.True(mixed.GuestKernel.UsesEevdf);
        Assert.False(mixed.GuestKernel.DefersToRunnableKsoftirqd);
    }

    [Fact]
    public void The_KBP_knobs_reach_the_model_with_the_module_parameter_meanings()
    {
        VmSpec kbp = Load("vm-kbp-80mbps-1518b.yaml", "guest.kbp.weight=32", "guest.kbp.idle=sleep", "host.kbp.policy=fair");

        Assert.Equal(Datapath.Kbp, kbp.Datapath);
        Assert.Equal([0], kbp.GuestKbp.Cpus);
        Assert.Equal(32, kbp.GuestKbp.Weight);
        Assert.Equal(KbpIdleMode.Sleep, kbp.GuestKbp.IdleMode);
        Assert.Equal([2], kbp.HostKbp.Cpus);
        Assert.Equal(SchedPolicy.Fair, kbp.HostKbp.Policy);
        Assert.Equal(SchedPolicy.Fifo, kbp.VcpuPolicy);
    }
}
