using Kbp.Sim.Models.Hardware;

namespace Kbp.Sim.Models.Scenarios;

/// <summary>The physical NIC (<c>nic:</c>).</summary>
public sealed record NicSpec
{
    /// <summary>Line rate in bits per second (<c>nic.rate</c>).</summary>
    public required double RateBps { get; init; }

    /// <summary>Rx descriptor ring size (<c>nic.rxRing</c>, 64..4096).</summary>
    public required int RxRingDescriptors { get; init; }

    /// <summary>Tx descriptor ring size (<c>nic.txRing</c>, 64..4096).</summary>
    public required int TxRingDescriptors { get; init; }

    /// <summary>Rx interrupt moderation (<c>nic.moderation</c>).</summary>
    public required InterruptModeration Moderation { get; init; }

    /// <summary>The interval of fixed moderation, ethtool's rx-usecs, in nanoseconds (<c>nic.rxUsecs</c>).</summary>
    public required long RxUsecsNs { get; init; }

    internal static NicSpec Bind(ScenarioReader r) => new()
    {
        RateBps = r.Rate("rate"),
        RxRingDescriptors = r.Int("rxRing", 64, 4096),
        TxRingDescriptors = r.Int("txRing", 64, 4096),
        Moderation = r.Enum<InterruptModeration>("moderation"),
        RxUsecsNs = r.Duration("rxUsecs"),
    };
}

/// <summary>The virtio-net device and its tap (<c>virtio:</c>).</summary>
public sealed record VirtioSpec
{
    /// <summary>Virtqueue size in descriptors, a power of two (<c>virtio.queueSize</c>, 64..1024).</summary>
    public required int QueueSize { get; init; }

    /// <summary>The tap device's tx_queue_len in packets (<c>virtio.tapQueueLength</c>).</summary>
    public required int TapQueueLength { get; init; }

    internal static VirtioSpec Bind(ScenarioReader r)
    {
        int queueSize = r.Int("queueSize", 64, 1024);
        if (!int.IsPow2(queueSize))
        {
            r.Invalid("queueSize", "expected a power of two from 64 to 1024, such as 256");
        }

        return new VirtioSpec
        {
            QueueSize = queueSize,
            TapQueueLength = r.Int("tapQueueLength", 1, 1_000_000),
        };
    }
}

/// <summary>What the run writes besides its summary (<c>outputs:</c>).</summary>
public sealed record OutputsSpec
{
    /// <summary>Write one CSV line per packet (<c>outputs.perPacketCsv</c>).</summary>
    public required bool PerPacketCsv { get; init; }

    internal static OutputsSpec Bind(ScenarioReader r) => new() { PerPacketCsv = r.Bool("perPacketCsv") };
}
