namespace Kbp.Sim.Models.Scenarios;

// The closed sets of words a scenario file may use. Each member is written in the file in
// lower case with dashes between words (OneWay is "one-way"); see ScenarioReader.Enum.

/// <summary>What is between the traffic generator and the echo application (<c>topology</c>).</summary>
public enum Topology
{
    /// <summary>A KVM guest behind vhost-net and a tap device on a bridge (the paper's setup).</summary>
    Vm,

    /// <summary>A Docker container: host NIC → bridge with NAT → veth → the container's socket (the paper's §6).</summary>
    Docker,

    /// <summary>A Kubernetes pod: the Docker path on a node that also runs the Kubernetes daemons.</summary>
    KubernetesPod,

    /// <summary>
    /// One host, two network namespaces joined by a veth pair, sockperf ping-pong between
    /// them (the real-kernel harness, tests/real-kernel); no NIC and no tester hardware.
    /// </summary>
    BareMetalVeth,
}

/// <summary>Which layer <c>traffic.rate</c> counts (<c>traffic.rateLayer</c>).</summary>
public enum RateLayer
{
    /// <summary>Layer 1: frames plus 20 B of preamble and inter-frame gap each.</summary>
    L1,

    /// <summary>Layer 2: frame bytes only.</summary>
    L2,
}

/// <summary>The softIRQ an interference IRQ raises (<c>interference.*.softirq</c>).</summary>
public enum SoftirqRaise
{
    /// <summary>None.</summary>
    None,

    /// <summary>TIMER_SOFTIRQ.</summary>
    Timer,

    /// <summary>BLOCK_SOFTIRQ.</summary>
    Block,

    /// <summary>RCU_SOFTIRQ.</summary>
    Rcu,

    /// <summary>SCHED_SOFTIRQ.</summary>
    Sched,
}
