namespace Kbp.Sim.Models.Kernel;

/// <summary>The kernel releases whose softirq and scheduler policies differ (kernel-mechanics §9).</summary>
public enum KernelVersion
{
    /// <summary>Ubuntu 18.04's 4.15: ksoftirqd_running() deferral; RT_RUNTIME_SHARE on.</summary>
    V4_15,

    /// <summary>Debian 12's 6.1: ksoftirqd_running() deferral; RT_RUNTIME_SHARE off.</summary>
    V6_1,

    /// <summary>6.12: the deferral reverted (v6.5); EEVDF (modelled here with the CFS parameters).</summary>
    V6_12,
}
