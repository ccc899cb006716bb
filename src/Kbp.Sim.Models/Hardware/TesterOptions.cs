using Kbp.Sim.Time;

namespace Kbp.Sim.Models.Hardware;

/// <summary>How a tester spaces its frames.</summary>
public enum TrafficPattern
{
    /// <summary>Constant bit rate: one frame every frame-bits / rate.</summary>
    Cbr,

    /// <summary>Exponential gaps with the CBR gap as mean (Poisson arrivals), limited by the line.</summary>
    Poisson,

    /// <summary><see cref="TesterOptions.BurstFrames"/> frames back to back at line rate, then a gap keeping the mean rate.</summary>
    Burst,
}

/// <summary>What a tester measures.</summary>
public enum TesterMode
{
    /// <summary>The device echoes frames back to the sending port: round-trip time (the paper's Spirent method).</summary>
    Echo,

    /// <summary>Frames come back on a second port: one-way delay.</summary>
    OneWay,
}

/// <summary>
/// A tester's traffic. Defaults follow the paper's latency runs: 1 Gb/s of 1518 B
/// frames for 60 s (maximum RTT over 60 s), on a 10 GbE port.
/// </summary>
public sealed record TesterOptions
{
    /// <summary>Offered rate in bit/s [1 Gb/s]; L1 or L2 as <see cref="RateIsL1"/> says.</summary>
    public double RateBps { get; init; } = 1e9;

    /// <summary>
    /// Whether <see cref="RateBps"/> counts preamble, SFD and IFG (line rate, as a tester's
    /// "% of line rate" does) [true]; false counts frame bits only.
    /// </summary>
    public bool RateIsL1 { get; init; } = true;

    /// <summary>The tester port's line rate [10 Gb/s]; it never sends faster.</summary>
    public double LineRateBps { get; init; } = 10e9;

    /// <summary>Frame size with FCS, without preamble and IFG [1518 B].</summary>
    public int FrameBytes { get; init; } = Ethernet.MaxFrameBytes;

    /// <summary>Spacing of frames [CBR].</summary>
    public TrafficPattern Pattern { get; init; } = TrafficPattern.Cbr;

    /// <summary>Frames per burst for <see cref="TrafficPattern.Burst"/> [32].</summary>
    public int BurstFrames { get; init; } = 32;

    /// <summary>Measured traffic time after the warm-up [60 s].</summary>
    public long DurationNs { get; init; } = 60 * SimTime.NsPerS;

    /// <summary>Traffic time before the measurement, sent but not measured [0].</summary>
    public long WarmupNs { get; init; }

    /// <summary>Round trip or one-way [Echo].</summary>
    public TesterMode Mode { get; init; } = TesterMode.Echo;

    /// <summary>The offered rate as a line (L1) rate.</summary>
    public double OfferedL1RateBps => RateIsL1 ? RateBps : Ethernet.L1RateBps(RateBps, FrameBytes);

    /// <summary>Checks the values; throws <see cref="ArgumentOutOfRangeException"/> for traffic a tester cannot send.</summary>
    public void Validate()
    {
        Ethernet.WholeRateBps(RateBps);
        Ethernet.WholeRateBps(LineRateBps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(FrameBytes);
        ArgumentOutOfRangeException.ThrowIfLessThan(BurstFrames, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BurstFrames, 65_536);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(DurationNs);
        ArgumentOutOfRangeException.ThrowIfNegative(WarmupNs);
        if (OfferedL1RateBps > LineRateBps * (1 + 1e-12))
        {
            throw new ArgumentOutOfRangeException(
                nameof(RateBps),
                RateBps,
                $"offered {OfferedL1RateBps:0} bit/s on the line exceeds the tester's line rate {LineRateBps:0} bit/s");
        }

        if (!Enum.IsDefined(Pattern) || !Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Pattern), "unknown pattern or mode");
        }
    }
}
