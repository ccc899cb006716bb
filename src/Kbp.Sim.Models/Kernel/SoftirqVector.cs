namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// softIRQ vectors (include/linux/interrupt.h); __do_softirq runs pending ones lowest bit
/// first. Only those the model uses are listed, with their kernel numbers.
/// </summary>
public enum SoftirqVector
{
    /// <summary>TIMER_SOFTIRQ: expired timer-wheel timers (they may wake threads).</summary>
    Timer = 1,

    /// <summary>NET_RX_SOFTIRQ: net_rx_action polls the poll_list.</summary>
    NetRx = 3,

    /// <summary>BLOCK_SOFTIRQ: block-device completions (the paper's ata_piix).</summary>
    Block = 4,

    /// <summary>SCHED_SOFTIRQ: load balancing (trigger_load_balance).</summary>
    Sched = 7,

    /// <summary>RCU_SOFTIRQ: RCU core processing.</summary>
    Rcu = 9,
}
