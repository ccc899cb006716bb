using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Processing;

namespace Kbp.Sim.Models.Topologies;

/// <summary>
/// The steps every topology takes to bring up a host: its CPUs and kernel, the cpufreq
/// governor, the periodic tick, and the background load. A topology calls them in the order
/// its boot needs (the VM starts the host's ticks only after its guest exists), so the
/// events they schedule keep their order.
/// </summary>
internal static class Machine
{
    /// <summary>
    /// The host kernel on <see cref="VmSpec.HostCpus"/> processors named host/cpuN, each under
    /// an ondemand governor when <see cref="VmSpec.Governor"/> asks for one (performance needs
    /// no model: the clock stays at nominal).
    /// </summary>
    public static Kernel.Kernel BootHost(Simulator sim, VmSpec spec)
    {
        var processors = new Processor[spec.HostCpus];
        for (int i = 0; i < processors.Length; i++)
        {
            processors[i] = new Processor(sim, $"host/cpu{i}", i, CpuClass.Count);
        }

        var host = new Kernel.Kernel(sim, "host", spec.HostKernel with { OnlineCpus = spec.HostCpus }, spec.HostCosts, processors);
        if (spec.Governor == GovernorPolicy.Ondemand)
        {
            foreach (Processor cpu in processors)
            {
                new CpuGovernor(sim, new CpuGovernorOptions { Policy = GovernorPolicy.Ondemand }, cpu).Start();
            }
        }

        return host;
    }

    /// <summary>Starts the periodic tick (HZ) on every CPU of <paramref name="kernel"/>.</summary>
    public static void StartTicks(Kernel.Kernel kernel)
    {
        foreach (KernelCpu cpu in kernel.Cpus)
        {
            _ = new TimerTick(cpu);
        }
    }

    /// <summary>Starts each background load on its CPU of <paramref name="kernel"/>; it lives on through the events it schedules.</summary>
    public static void StartInterference(Kernel.Kernel kernel, IEnumerable<InterferenceOptions> loads)
    {
        foreach (InterferenceOptions load in loads)
        {
            if (load.Kind == InterferenceKind.Irq)
            {
                _ = new InterferenceIrq(kernel.Cpus[load.Cpu], load);
            }
            else
            {
                _ = new InterferenceThread(kernel.Cpus[load.Cpu], load);
            }
        }
    }
}
