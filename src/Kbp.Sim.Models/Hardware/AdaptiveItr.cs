using Kbp.Sim.Time;

namespace Kbp.Sim.Models.Hardware;

/// <summary>
/// ixgbe's adaptive interrupt throttle rate (<c>rx-usecs 1</c>): after every NAPI poll
/// that completes, <c>ixgbe_poll</c> calls <c>ixgbe_set_itr</c>, which runs
/// <c>ixgbe_update_itr</c> on the packets and bytes cleaned since the last update and
/// writes the new interval to the vector's EITR register (<c>ixgbe_write_eitr</c>).
/// Ported from drivers/net/ethernet/intel/ixgbe/ixgbe_main.c (same algorithm in 4.15,
/// 6.1 and 6.12).
/// </summary>
/// <remarks>
/// Simplified: (1) only the Rx ring container is modelled; the driver takes the smaller
/// of the Rx and Tx containers' values (<c>min(q_vector->rx.itr, q_vector->tx.itr)</c>),
/// and the Tx side of an echo flow sees about the same traffic. (2) The EITR interval
/// field counts 2.048 µs units on the 82599; we take whole 2 µs steps
/// (<c>q_vector->itr &amp; IXGBE_MAX_EITR</c>). (3) Bytes are counted as the driver does,
/// <c>skb->len</c> with the FCS stripped by the NIC (frame − 4 B).
/// </remarks>
public sealed class AdaptiveItr
{
    /// <summary><c>IXGBE_ITR_ADAPTIVE_MIN_USECS</c>: the shortest adaptive interval.</summary>
    public const int MinUsecs = 10;

    /// <summary><c>IXGBE_ITR_ADAPTIVE_MAX_USECS</c>: the longest adaptive interval.</summary>
    public const int MaxUsecs = 126;

    /// <summary><c>IXGBE_ITR_ADAPTIVE_MIN_INC</c>: the step by which the interval grows.</summary>
    public const int MinIncUsecs = 2;

    /// <summary><c>IXGBE_20K_ITR</c> = 200 in 0.25 µs units: the interval an Rx vector starts with (<c>ixgbe_alloc_q_vector</c>).</summary>
    public const int InitialUsecs = 50;

    // IXGBE_ITR_ADAPTIVE_LATENCY: flag bit kept beside the usecs in ring_container->itr.
    private const int LatencyFlag = 0x80;

    // IXGBE_ITR_ADAPTIVE_BULK.
    private const int BulkFlag = 0x00;

    // IXGBE_MAX_EITR: the interval bits of the EITR register.
    private const int MaxEitr = 0x00000FF8;

    private readonly long _jiffyNs;
    private readonly bool _slowLink;

    // q_vector->itr: the EITR value, usecs << 2.
    private int _vectorItr = InitialUsecs << 2;

    // ring_container->itr: usecs | latency flag.
    private int _ringItr = MaxUsecs | LatencyFlag;
    private long _nextUpdateJiffy;
    private long _totalPackets;
    private long _totalBytes;

    /// <summary>Creates the throttle of one Rx vector.</summary>
    /// <param name="rateBps">Link speed: the size formula differs for 1G/2.5G/10M links and for 10G/100M ones.</param>
    /// <param name="jiffyNs">The host kernel's jiffy (4 ms at HZ=250).</param>
    public AdaptiveItr(double rateBps, long jiffyNs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(jiffyNs);
        long rate = Ethernet.WholeRateBps(rateBps);
        _jiffyNs = jiffyNs;

        // IXGBE_LINK_SPEED_2_5GB_FULL, _1GB_FULL, _10_FULL take the "* 64" branch.
        _slowLink = rate is 2_500_000_000 or 1_000_000_000 or 10_000_000;
    }

    /// <summary>The interval the hardware throttles interrupts to now.</summary>
    public long IntervalNs => ((_vectorItr & MaxEitr) >> 2) * SimTime.NsPerUs;

    /// <summary>Whether the last update chose latency mode.</summary>
    public bool IsLatencyMode => (_ringItr & LatencyFlag) != 0;

    /// <summary>Counts one frame cleaned from the ring (<c>total_rx_packets</c>, <c>total_rx_bytes</c> in <c>ixgbe_clean_rx_irq</c>).</summary>
    public void CountFrame(int frameBytes)
    {
        _totalPackets++;
        _totalBytes += frameBytes - Ethernet.FcsBytes;
    }

    /// <summary><c>ixgbe_set_itr</c> at <paramref name="nowNs"/>: retune from the counts since the last call, then write EITR.</summary>
    public void Update(long nowNs)
    {
        _ringItr = NextRingItr(nowNs / _jiffyNs);
        _nextUpdateJiffy = (nowNs / _jiffyNs) + 1;
        _totalPackets = 0;
        _totalBytes = 0;

        // Clear the latency flag and shift into EITR position.
        _vectorItr = (_ringItr & ~LatencyFlag) << 2;
    }

    /// <summary><c>ixgbe_update_itr</c>: the new ring_container->itr.</summary>
    private int NextRingItr(long jiffy)
    {
        // Not updated within 1-2 jiffies: traffic is so slow there was no work, or so
        // heavy that NAPI is polling; start over in latency mode at the minimum.
        if (jiffy > _nextUpdateJiffy)
        {
            return MinUsecs | LatencyFlag;
        }

        int vectorUsecs = _vectorItr >> 2;
        if (_totalPackets == 0)
        {
            // Called with no work on the ring: tick the delay up by the minimum.
            return Math.Min(vectorUsecs + MinIncUsecs, MaxUsecs) + (_ringItr & LatencyFlag);
        }

        if (_totalPackets < 4 && _totalBytes < 9000)
        {
            // Too little data for the bulk approach: latency driven.
            return AdjustBySize(LatencyFlag);
        }

        if (_totalPackets < 48)
        {
            return Math.Min(vectorUsecs + MinIncUsecs, MaxUsecs);
        }

        if (_totalPackets < 96)
        {
            // The "goldilocks" zone: keep the interval.
            return vectorUsecs;
        }

        if (_totalPackets < 256)
        {
            return Math.Max(_vectorItr >> 3, MinUsecs);
        }

        return AdjustBySize(BulkFlag);
    }

    /// <summary>
    /// The size formula, a crude approximation of <c>(170 · (size + 24)) / (size + 640)</c>
    /// µs, i.e. enough packets per interrupt to fill wmem_default, scaled by 256.
    /// </summary>
    private int AdjustBySize(int itr)
    {
        long avgWireSize = _totalBytes / _totalPackets;
        if (avgWireSize <= 60)
        {
            avgWireSize = 5120; // start at 50k ints/s
        }
        else if (avgWireSize <= 316)
        {
            avgWireSize = (avgWireSize * 40) + 2720; // 50k to 16k ints/s
        }
        else if (avgWireSize <= 1084)
        {
            avgWireSize = (avgWireSize * 15) + 11452; // 16k to 9.2k ints/s
        }
        else if (avgWireSize < 1968)
        {
            avgWireSize = (avgWireSize * 5) + 22420; // 9.2k to 8k ints/s
        }
        else
        {
            avgWireSize = 32256; // plateau at 8k ints/s
        }

        // Latency mode halves the delay.
        if ((itr & LatencyFlag) != 0)
        {
            avgWireSize >>= 1;
        }

        if (_slowLink)
        {
            avgWireSize = Math.Min(avgWireSize, 8064);
            return itr + (int)(DivRoundUp(avgWireSize, MinIncUsecs * 64) * MinIncUsecs);
        }

        return itr + (int)(DivRoundUp(avgWireSize, MinIncUsecs * 256) * MinIncUsecs);
    }

    private static long DivRoundUp(long n, long d) => (n + d - 1) / d;
}
