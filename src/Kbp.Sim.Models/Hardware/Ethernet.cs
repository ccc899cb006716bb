using Kbp.Sim.Time;

namespace Kbp.Sim.Models.Hardware;

/// <summary>
/// Ethernet framing arithmetic (IEEE 802.3 clause 4): what a frame costs on the wire.
/// A frame's size (<c>FrameBytes</c>) is the L2 frame from destination MAC to FCS
/// inclusive (64..1518 B untagged); on the wire every frame also carries a 7 B preamble
/// and a 1 B start-of-frame delimiter and is followed by at least a 12 B inter-frame gap,
/// so it occupies <c>FrameBytes + 20</c> bytes of line time (L1).
/// </summary>
/// <remarks>
/// Rates are whole bits per second held in a <see cref="double"/> (1e9, 2.5e9, 10e9, 80e6):
/// the arithmetic is done on integers, so a wire time is the exact quotient rounded up to
/// a whole nanosecond, identical on every platform.
/// </remarks>
public static class Ethernet
{
    /// <summary>Preamble (7 B) and start-of-frame delimiter (1 B).</summary>
    public const int PreambleSfdBytes = 8;

    /// <summary>Minimum inter-frame gap: 96 bit times.</summary>
    public const int InterFrameGapBytes = 12;

    /// <summary>Per-frame L1 overhead: preamble + SFD + IFG = 20 B.</summary>
    public const int L1OverheadBytes = PreambleSfdBytes + InterFrameGapBytes;

    /// <summary>Smallest legal frame (with FCS).</summary>
    public const int MinFrameBytes = 64;

    /// <summary>Largest untagged frame without jumbo frames (1500 B MTU + 14 B header + 4 B FCS).</summary>
    public const int MaxFrameBytes = 1518;

    /// <summary>Ethernet header: destination and source MAC, EtherType.</summary>
    public const int HeaderBytes = 14;

    /// <summary>Frame check sequence (CRC-32), stripped by the receiving NIC.</summary>
    public const int FcsBytes = 4;

    /// <summary>Fastest line the integer arithmetic supports (400 GbE).</summary>
    public const double MaxRateBps = 400e9;

    /// <summary>Bits a frame occupies on the wire, L1 overhead included.</summary>
    public static long WireBits(int frameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameBytes);
        return 8L * (frameBytes + L1OverheadBytes);
    }

    /// <summary>
    /// Time a frame occupies a line of <paramref name="rateBps"/>, preamble, SFD and IFG
    /// included: (frame + 20) · 8 / rate, rounded up to a whole nanosecond. 1518 B at
    /// 1 Gb/s = 12 304 ns; 64 B at 10 Gb/s = 67.2 ns → 68 ns.
    /// </summary>
    public static long WireTimeNs(int frameBytes, double rateBps) => BitsTimeNs(WireBits(frameBytes), rateBps);

    /// <summary>Time the L2 frame alone takes at <paramref name="rateBps"/> (no preamble, SFD or IFG), rounded up.</summary>
    public static long FrameTimeNs(int frameBytes, double rateBps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameBytes);
        return BitsTimeNs(8L * frameBytes, rateBps);
    }

    /// <summary>Time <paramref name="bits"/> take at <paramref name="rateBps"/>, rounded up to a whole nanosecond.</summary>
    public static long BitsTimeNs(long bits, double rateBps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bits);
        long rate = WholeRateBps(rateBps);
        long units = checked(bits * SimTime.NsPerS);
        return (units + rate - 1) / rate;
    }

    /// <summary>The L2 rate (frame bits only) carried by a line loaded at <paramref name="l1RateBps"/> with frames of <paramref name="frameBytes"/>.</summary>
    public static double L2RateBps(double l1RateBps, int frameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameBytes);
        return l1RateBps * frameBytes / (frameBytes + L1OverheadBytes);
    }

    /// <summary>The L1 (line) rate needed to carry <paramref name="l2RateBps"/> of frames of <paramref name="frameBytes"/>.</summary>
    public static double L1RateBps(double l2RateBps, int frameBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameBytes);
        return l2RateBps * (frameBytes + L1OverheadBytes) / frameBytes;
    }

    /// <summary>Frames per second at L1 rate <paramref name="l1RateBps"/>: 14.88 Mpps for 64 B at 10 Gb/s, 81 274 pps for 1518 B at 1 Gb/s.</summary>
    public static double FrameRatePps(double l1RateBps, int frameBytes) => l1RateBps / WireBits(frameBytes);

    /// <summary>
    /// Checks that <paramref name="rateBps"/> is a whole, positive number of bits per
    /// second no faster than <see cref="MaxRateBps"/>, and returns it as an integer.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Otherwise.</exception>
    public static long WholeRateBps(double rateBps)
    {
        if (!(rateBps >= 1) || rateBps > MaxRateBps || rateBps != Math.Floor(rateBps))
        {
            throw new ArgumentOutOfRangeException(nameof(rateBps), rateBps, $"a rate must be a whole number of bit/s in [1, {MaxRateBps}]");
        }

        return (long)rateBps;
    }
}
