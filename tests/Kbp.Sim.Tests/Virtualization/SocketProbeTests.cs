using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Topologies;
using Kbp.Sim.Time;

namespace Kbp.Sim.Tests.Virtualization;

/// <summary>Where probe rxg1 sits: at the socket enqueue, before sk_data_ready wakes the reader.</summary>
public class SocketProbeTests
{
    [Fact]
    public void Waking_the_blocked_reader_is_not_part_of_rxg0_to_rxg1_but_delays_the_reader()
    {
        // 80 Mbps of 1518-byte frames: the echo application has emptied its socket and
        // blocks before each frame, so every delivery wakes it (1 µs in the softIRQ).
        var spec = new VmSpec
        {
            Datapath = Datapath.Napi,
            GuestAppCpu = 1,
            GuestRxPerPacketNs = 2_200,
            GuestCosts = new KernelCosts { WakeupNs = 1_000 },
            Tester = new TesterOptions { RateBps = 80e6, RateIsL1 = false, FrameBytes = 1518, DurationNs = SimTime.FromMs(100), WarmupNs = SimTime.FromMs(5) },
        };

        RepetitionResult r = LatencyRun.RunOne(spec, 1);
        long rxStackNs = r.Stages.Single(s => s.Name == "rxg0-rxg1").PercentileNs(50);
        long toReaderNs = r.Stages.Single(s => s.Name == "rxg1-txg0").PercentileNs(50);

        Assert.InRange(rxStackNs, 2_190, 2_210);
        Assert.True(toReaderNs >= 1_000, $"rxg1→txg0 median {toReaderNs} ns");
    }
}
