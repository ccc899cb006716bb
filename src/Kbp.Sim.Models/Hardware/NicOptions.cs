using Kbp.Sim.Time;

namespace Kbp.Sim.Models.Hardware;

/// <summary>How a NIC Rx queue paces its interrupts (<c>ethtool -C rx-usecs</c>).</summary>
public enum InterruptModeration
{
    /// <summary><c>rx-usecs 0</c>: an interrupt for every frame that arrives while interrupts are enabled.</summary>
    Off,

    /// <summary><c>rx-usecs N</c> (N ≥ 2): at most one interrupt per <see cref="NicOptions.FixedIntervalNs"/>.</summary>
    Fixed,

    /// <summary><c>rx-usecs 1</c>, the ixgbe default: the driver retunes the interval after every poll (<c>ixgbe_update_itr</c>).</summary>
    Adaptive,
}

/// <summary>
/// A NIC's parameters. Defaults are the Intel 82599/X520 (ixgbe) ones, the paper's VM
/// evaluation NIC; its analysis testbed used an I350 (igb: 256/256 descriptors, 1 GbE).
/// </summary>
public sealed record NicOptions
{
    /// <summary>Line rate in bit/s [10 Gb/s, X520].</summary>
    public double RateBps { get; init; } = 10e9;

    /// <summary>
    /// Rx descriptors per queue [512: <c>IXGBE_DEFAULT_RXD</c>, ixgbe.h; ethtool range
    /// <c>IXGBE_MIN_RXD</c> 64 .. <c>IXGBE_MAX_RXD</c> 4096; igb <c>IGB_DEFAULT_RXD</c> 256].
    /// </summary>
    public int RxRingSize { get; init; } = 512;

    /// <summary>Tx descriptors per queue [512: <c>IXGBE_DEFAULT_TXD</c>; igb 256].</summary>
    public int TxRingSize { get; init; } = 512;

    /// <summary>Interrupt moderation [Adaptive: <c>rx_itr_setting = 1</c> in <c>ixgbe_sw_init</c>].</summary>
    public InterruptModeration Moderation { get; init; } = InterruptModeration.Adaptive;

    /// <summary>
    /// Minimum interval between interrupts when <see cref="Moderation"/> is
    /// <see cref="InterruptModeration.Fixed"/> [10 µs = <c>IXGBE_100K_ITR</c>, 100k irq/s].
    /// </summary>
    public long FixedIntervalNs { get; init; } = 10 * SimTime.NsPerUs;

    /// <summary>
    /// One jiffy of the host kernel [4 ms: HZ=250 in the Ubuntu 4.15 and Debian 6.1
    /// configs]. Adaptive moderation resets to its latency setting when the driver did not
    /// retune for more than a jiffy (<c>ixgbe_update_itr</c>, <c>next_update</c>).
    /// </summary>
    public long JiffyNs { get; init; } = 4 * SimTime.NsPerMs;

    /// <summary>Checks the values; throws <see cref="ArgumentOutOfRangeException"/> for one that no NIC could have.</summary>
    public void Validate()
    {
        Ethernet.WholeRateBps(RateBps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(RxRingSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TxRingSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(FixedIntervalNs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(JiffyNs);
        if (!Enum.IsDefined(Moderation))
        {
            throw new ArgumentOutOfRangeException(nameof(Moderation), Moderation, "unknown moderation mode");
        }
    }
}
