using FsCheck;
using FsCheck.Xunit;
using Kbp.Sim.Models.Hardware;

namespace Kbp.Sim.Tests.Hardware;

public class EthernetTests
{
    [Theory]
    [InlineData(64, 1e9, 672)]      // 84 B · 8 / 1 Gb/s
    [InlineData(1518, 1e9, 12_304)] // the paper's "ideal packet interval ~12 µs"
    [InlineData(64, 10e9, 68)]      // 67.2 ns rounded up
    [InlineData(1518, 10e9, 1_231)] // 1230.4 ns rounded up
    public void Wire_time_counts_preamble_SFD_and_IFG_and_rounds_up(int frameBytes, double rateBps, long expectedNs) =>
        Assert.Equal(expectedNs, Ethernet.WireTimeNs(frameBytes, rateBps));

    [Theory]
    [InlineData(64, 1e9, 512)]
    [InlineData(1518, 1e9, 12_144)]
    [InlineData(64, 10e9, 52)]      // 51.2 ns rounded up
    [InlineData(1518, 10e9, 1_215)] // 1214.4 ns rounded up
    public void Frame_time_without_L1_overhead_counts_frame_bits_only(int frameBytes, double rateBps, long expectedNs) =>
        Assert.Equal(expectedNs, Ethernet.FrameTimeNs(frameBytes, rateBps));

    [Fact]
    public void L1_and_L2_rates_convert_through_the_20_byte_overhead()
    {
        Assert.Equal(10e9 * 64 / 84, Ethernet.L2RateBps(10e9, 64), 3);
        Assert.Equal(10e9, Ethernet.L1RateBps(Ethernet.L2RateBps(10e9, 64), 64), 3);
        Assert.Equal(14_880_952, Ethernet.FrameRatePps(10e9, 64), 0);
        Assert.Equal(81_274, Ethernet.FrameRatePps(1e9, 1518), 0);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e9)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    [InlineData(1e15)]
    public void Rates_must_be_whole_positive_bits_per_second(double rateBps) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Ethernet.WireTimeNs(64, rateBps));

    [Fact]
    public void A_back_to_back_train_keeps_the_exact_line_rate_although_each_frame_is_a_fraction_of_a_ns()
    {
        var line = new LineSerializer(10e9);
        long lastBitNs = 0;
        for (int i = 0; i < 1_000; i++)
        {
            lastBitNs = line.Transmit(0, 64, out long firstBitNs);

            // First bit of frame i at ⌈67.2 i⌉, last bit (72 B later) at ⌈67.2 i + 57.6⌉.
            Assert.Equal(((672L * i) + 9) / 10, firstBitNs);
            Assert.Equal(((672L * i) + 576 + 9) / 10, lastBitNs);
        }

        Assert.Equal(67_200, line.FreeAtNs);
    }

    [Fact]
    public void A_frame_on_an_idle_line_starts_when_ready_and_the_line_is_free_one_IFG_after_its_last_bit()
    {
        var line = new LineSerializer(1e9);
        long lastBitNs = line.Transmit(1_000, 1518, out long firstBitNs);
        Assert.Equal(1_000, firstBitNs);
        Assert.Equal(1_000 + ((1518 + 8) * 8), lastBitNs);
        Assert.Equal(1_000 + 12_304, line.FreeAtNs);

        // Ready during the IFG: waits for it.
        line.Transmit(lastBitNs + 1, 64, out firstBitNs);
        Assert.Equal(1_000 + 12_304, firstBitNs);
    }

    [Property]
    public bool Any_train_lasts_the_exact_sum_of_its_wire_times_rounded_up(NonEmptyArray<PositiveInt> sizes, bool tenGig)
    {
        double rateBps = tenGig ? 10e9 : 1e9;
        var line = new LineSerializer(rateBps);
        long totalBits = 0;
        foreach (PositiveInt size in sizes.Get)
        {
            int frameBytes = 64 + (size.Get % 1455);
            totalBits += Ethernet.WireBits(frameBytes);
            line.Transmit(0, frameBytes, out _);
        }

        return line.FreeAtNs == Ethernet.BitsTimeNs(totalBits, rateBps);
    }
}
