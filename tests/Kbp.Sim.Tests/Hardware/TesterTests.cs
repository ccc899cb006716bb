using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Time;

namespace Kbp.Sim.Tests.Hardware;

public class TesterTests
{
    private const long Us = SimTime.NsPerUs;

    /// <summary>A device that echoes every frame after a fixed delay.</summary>
    private static Action<Packet> Echo(Simulator sim, Func<Tester> tester, long delayNs) =>
        p => sim.ScheduleAfter(delayNs, _ => tester().Receive(p));

    private static (Simulator Sim, Tester Tester, List<Packet> Sent) SendInto(TesterOptions options, ulong seed = 1)
    {
        var sim = new Simulator(seed);
        var sent = new List<Packet>();
        var tester = new Tester(sim, options, sent.Add);
        tester.Start();
        sim.Run();
        return (sim, tester, sent);
    }

    [Fact]
    public void Cbr_sends_one_frame_per_gap_of_frame_bits_over_rate_for_the_duration()
    {
        var options = new TesterOptions { RateBps = 1e9, FrameBytes = 1518, DurationNs = 1 * SimTime.NsPerMs };
        var (_, tester, sent) = SendInto(options);

        // Frames start at 0, 12.304 µs, ... while before 1 ms: 82 of them.
        Assert.Equal(82, sent.Count);
        Assert.True(tester.IsFinished);
        Assert.Equal(Enumerable.Range(0, 82).Select(i => (long)i), sent.Select(p => p.Id));
        for (int i = 0; i < sent.Count; i++)
        {
            Assert.Equal(i * 12_304L, sent[i].At(Probe.TesterSend));
        }

        TesterResult result = tester.Result();
        Assert.Equal(82, result.Offered);
        Assert.Equal(82, result.Sent);
        Assert.Equal(82, result.InFlight);
    }

    [Fact]
    public void An_L2_rate_spaces_frames_by_frame_bits_only()
    {
        var options = new TesterOptions { RateBps = 1e9, RateIsL1 = false, FrameBytes = 1518, DurationNs = 100 * Us };
        var (_, _, sent) = SendInto(options);
        Assert.Equal(12_144, sent[1].At(Probe.TesterSend) - sent[0].At(Probe.TesterSend));
    }

    [Fact]
    public void Cbr_at_full_line_rate_keeps_the_fractional_gap_exact()
    {
        var options = new TesterOptions { RateBps = 10e9, LineRateBps = 10e9, FrameBytes = 64, DurationNs = 10 * Us };
        var (_, _, sent) = SendInto(options);

        // 67.2 ns per frame: frames ready before 10 µs are 0..148.
        Assert.Equal(149, sent.Count);
        for (int i = 0; i < sent.Count; i++)
        {
            Assert.Equal(((672L * i) + 9) / 10, sent[i].At(Probe.TesterSend));
        }
    }

    [Fact]
    public void An_offered_rate_above_the_line_rate_is_refused()
    {
        var sim = new Simulator(1);
        var options = new TesterOptions { RateBps = 10e9, RateIsL1 = false, LineRateBps = 10e9, FrameBytes = 64 };
        Assert.Throws<ArgumentOutOfRangeException>(() => new Tester(sim, options, _ => { }));
    }

    [Fact]
    public void Burst_sends_frames_back_to_back_at_line_rate_then_waits_to_keep_the_mean_rate()
    {
        var options = new TesterOptions
        {
            RateBps = 1e9,
            LineRateBps = 10e9,
            FrameBytes = 1518,
            Pattern = TrafficPattern.Burst,
            BurstFrames = 4,
            DurationNs = 100 * Us,
        };
        var (_, _, sent) = SendInto(options);

        long[] starts = sent.Select(p => p.At(Probe.TesterSend)).ToArray();
        Assert.Equal([0L, 1_231, 2_461, 3_692, 49_216, 50_447], starts.Take(6));
        Assert.Equal(12, starts.Length); // bursts at 0, 49.216 and 98.432 µs
    }

    [Fact]
    public void Round_trips_are_recorded_only_for_frames_sent_after_the_warm_up()
    {
        var sim = new Simulator(1);
        Tester? tester = null;
        var options = new TesterOptions { RateBps = 1e9, FrameBytes = 1518, WarmupNs = 100 * Us, DurationNs = 100 * Us };
        tester = new Tester(sim, options, Echo(sim, () => tester!, 5 * Us));
        tester.Start();
        sim.Run();

        TesterResult result = tester.Result();
        Assert.Equal(9, result.WarmupSent);     // ready at 0 .. 98.432 µs
        Assert.Equal(9, result.WarmupReceived);
        Assert.Equal(8, result.Sent);           // ready at 110.736 .. 196.864 µs
        Assert.Equal(8, result.Received);
        Assert.Equal(0, result.InFlight);
        Assert.Equal(8, result.Latency.Count);

        // First bit out to last bit back: 1221 ns of wire at 10 GbE plus the 5 µs echo.
        Assert.Equal(6_221, result.Latency.MinNs);
        Assert.Equal(6_221, result.Latency.MaxNs);
        Assert.Equal("tester/rtt", result.Latency.Name);
    }

    [Fact]
    public void A_frame_received_twice_or_never_sent_is_a_model_error()
    {
        var sim = new Simulator(1);
        var sent = new List<Packet>();
        var tester = new Tester(sim, new TesterOptions { DurationNs = 20 * Us }, sent.Add);
        tester.Start();
        sim.Run();

        tester.Receive(sent[0]);
        Assert.Throws<InvalidOperationException>(() => tester.Receive(sent[0]));
        Assert.Throws<InvalidOperationException>(() => tester.NotifyDropped(sent[0], DropReason.TapQueue));
        Assert.Throws<InvalidOperationException>(() => tester.Receive(new Packet(1_000, 1518)));
    }

    [Property(MaxTest = 60)]
    public Property Offered_frames_are_received_lost_or_in_flight(int seed, byte dropPercent, byte warmupUs, byte extraRunUs)
    {
        var sim = new Simulator((ulong)seed);
        var decide = new Random(seed);
        Tester? tester = null;
        int pending = 0;
        var options = new TesterOptions
        {
            RateBps = 1e9,
            FrameBytes = 512,
            Pattern = TrafficPattern.Poisson,
            WarmupNs = warmupUs * Us,
            DurationNs = 200 * Us,
        };
        tester = new Tester(sim, options, p =>
        {
            if (decide.Next(100) < dropPercent % 60)
            {
                tester!.NotifyDropped(p, DropReason.TapQueue);
                return;
            }

            pending++;
            sim.ScheduleAfter(decide.Next(1, 50_000), _ =>
            {
                pending--;
                tester!.Receive(p);
            });
        });
        tester.Start();
        sim.Run(stopWhen: () => tester.IsFinished);
        sim.Run(sim.NowNs + (extraRunUs * Us));

        TesterResult r = tester.Result();
        return (r.Offered == r.Sent
                && r.Offered == r.Received + r.Lost + r.InFlight
                && r.LostAt(DropReason.TapQueue) == r.Lost
                && r.InFlight + (r.WarmupSent - r.WarmupReceived - r.WarmupLost) == pending
                && r.Latency.Count == r.Received)
            .Label($"offered {r.Offered} sent {r.Sent} received {r.Received} lost {r.Lost} in flight {r.InFlight} pending {pending}");
    }

    private static long[] PoissonSendTimes(ulong seed)
    {
        var options = new TesterOptions { RateBps = 1e9, FrameBytes = 1518, Pattern = TrafficPattern.Poisson, DurationNs = 20 * SimTime.NsPerMs };
        var (_, _, sent) = SendInto(options, seed);
        return sent.Select(p => p.At(Probe.TesterSend)).ToArray();
    }

    [Fact]
    public void Poisson_send_times_are_the_same_for_the_same_seed_and_differ_for_another()
    {
        long[] a = PoissonSendTimes(42);
        long[] b = PoissonSendTimes(42);
        long[] c = PoissonSendTimes(43);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Poisson_gaps_have_the_rate_as_mean_and_never_undercut_the_line()
    {
        long[] times = PoissonSendTimes(7);
        double meanGapNs = (double)(times[^1] - times[0]) / (times.Length - 1);
        Assert.InRange(meanGapNs, 12_304 * 0.95, 12_304 * 1.05);
        for (int i = 1; i < times.Length; i++)
        {
            Assert.True(times[i] - times[i - 1] >= Ethernet.WireTimeNs(1518, 10e9) - 1);
        }
    }
}
