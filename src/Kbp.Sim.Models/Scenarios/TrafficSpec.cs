using Kbp.Sim.Models.Hardware;

namespace Kbp.Sim.Models.Scenarios;

/// <summary>The offered traffic and the measurement schedule (<c>traffic:</c>).</summary>
public sealed record TrafficSpec
{
    /// <summary>Preamble (7 B), start-of-frame delimiter (1 B) and inter-frame gap (12 B) around every Ethernet frame.</summary>
    public const int EthernetOverheadBytes = 20;

    /// <summary>Echo (round trip) or one-way (<c>traffic.mode</c>).</summary>
    public required TesterMode Mode { get; init; }

    /// <summary>The offered rate in bits per second, counted at <see cref="RateLayer"/> (<c>traffic.rate</c>).</summary>
    public required double RateBps { get; init; }

    /// <summary>Whether <see cref="RateBps"/> counts the 20 B per-frame Ethernet overhead (l1) or not (l2) (<c>traffic.rateLayer</c>).</summary>
    public required RateLayer RateLayer { get; init; }

    /// <summary>The Ethernet frame size including FCS (<c>traffic.frameSize</c>, 64..9018 B).</summary>
    public required int FrameBytes { get; init; }

    /// <summary>The departure pattern (<c>traffic.pattern</c>).</summary>
    public required TrafficPattern Pattern { get; init; }

    /// <summary>Frames per burst for the burst pattern (<c>traffic.burstFrames</c>).</summary>
    public required int BurstFrames { get; init; }

    /// <summary>Measured time of each repetition (<c>traffic.duration</c>).</summary>
    public required long DurationNs { get; init; }

    /// <summary>Unmeasured time before it (<c>traffic.warmup</c>).</summary>
    public required long WarmupNs { get; init; }

    /// <summary>Independent runs, each with its own seed derived from <see cref="Seed"/> (<c>traffic.repetitions</c>).</summary>
    public required int Repetitions { get; init; }

    /// <summary>The run seed (<c>traffic.seed</c>).</summary>
    public required ulong Seed { get; init; }

    /// <summary>The rate on the wire, preamble and inter-frame gap included, in bits per second.</summary>
    public double WireRateBps => RateLayer == RateLayer.L1
        ? RateBps
        : RateBps * (FrameBytes + EthernetOverheadBytes) / FrameBytes;

    /// <summary>Frames offered per second.</summary>
    public double FramesPerSecond => WireRateBps / (8.0 * (FrameBytes + EthernetOverheadBytes));

    /// <summary>sockperf's message rate, messages per second (<c>traffic.messageRate</c>, topology bare-metal-veth); 0 otherwise.</summary>
    public int MessagesPerSecond { get; init; }

    /// <summary>sockperf's message size, the UDP payload (<c>traffic.messageSize</c>, topology bare-metal-veth); 0 otherwise.</summary>
    public int MessageBytes { get; init; }

    /// <summary>
    /// Binds <c>traffic:</c>. With <paramref name="messages"/> (topology bare-metal-veth) the
    /// load is sockperf's <c>messageRate</c> and <c>messageSize</c> instead of <c>rate</c> and
    /// <c>frameSize</c>: each message is a frame of the payload plus UDP, IPv4 and Ethernet
    /// headers (42 B; a veth has no FCS), and the rate counts those frames at layer 2.
    /// </summary>
    internal static TrafficSpec Bind(ScenarioReader r, bool messages = false)
    {
        TesterMode mode = r.Enum<TesterMode>("mode");
        int perSecond = messages ? r.Int("messageRate", 1, 10_000_000) : 0;
        int payload = messages ? (int)r.Size("messageSize", 1, 65_507) : 0;
        int frameBytes = payload + 42;
        return new TrafficSpec
        {
            Mode = mode,
            MessagesPerSecond = perSecond,
            MessageBytes = payload,
            RateBps = messages ? 8.0 * frameBytes * perSecond : r.Rate("rate"),
            RateLayer = messages ? ForceL2(r) : r.Enum<RateLayer>("rateLayer"),
            FrameBytes = messages ? frameBytes : (int)r.Size("frameSize", 64, 9018),
            Pattern = r.Enum<TrafficPattern>("pattern"),
            BurstFrames = r.Int("burstFrames", 1, 1_000_000),
            DurationNs = r.Duration("duration", minNs: 1),
            WarmupNs = r.Duration("warmup", minNs: 0),
            Repetitions = r.Int("repetitions", 1, 1000),
            Seed = r.UInt64("seed"),
        };
    }

    /// <summary>Message traffic counts its frames at layer 2; the key is read so that it stays known.</summary>
    private static RateLayer ForceL2(ScenarioReader r)
    {
        r.Enum<RateLayer>("rateLayer");
        return RateLayer.L2;
    }
}
