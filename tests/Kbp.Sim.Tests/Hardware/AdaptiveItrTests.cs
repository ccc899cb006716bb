using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Time;

namespace Kbp.Sim.Tests.Hardware;

/// <summary>ixgbe_update_itr's decisions, worked by hand from ixgbe_main.c.</summary>
public class AdaptiveItrTests
{
    private const long Us = SimTime.NsPerUs;
    private const long Jiffy = 4 * SimTime.NsPerMs;

    private static void Count(AdaptiveItr itr, int frames, int frameBytes)
    {
        for (int i = 0; i < frames; i++)
        {
            itr.CountFrame(frameBytes);
        }
    }

    [Fact]
    public void An_rx_vector_starts_at_the_20k_interrupts_per_second_interval()
    {
        var itr = new AdaptiveItr(10e9, Jiffy);
        Assert.Equal(50 * Us, itr.IntervalNs);
    }

    [Theory]
    [InlineData(10e9, 64, 10)]    // ≤ 60 B: 5120 / 2 → ⌈2560 / 512⌉ · 2
    [InlineData(1e9, 64, 40)]     // 1 GbE divides by 128: ⌈2560 / 128⌉ · 2
    [InlineData(10e9, 1518, 60)]  // 1514 · 5 + 22420 = 29990 / 2 → ⌈14995 / 512⌉ · 2
    [InlineData(1e9, 1518, 126)]  // capped at 8064 → ⌈8064 / 128⌉ · 2
    public void Few_packets_per_interrupt_select_latency_mode_sized_by_frame_and_link(double rateBps, int frameBytes, long expectedUs)
    {
        var itr = new AdaptiveItr(rateBps, Jiffy);
        Count(itr, 1, frameBytes);
        itr.Update(1 * Us);
        Assert.True(itr.IsLatencyMode);
        Assert.Equal(expectedUs * Us, itr.IntervalNs);
    }

    [Theory]
    [InlineData(10e9, 118)] // bulk: ⌈29990 / 512⌉ · 2
    [InlineData(1e9, 126)]
    public void Many_packets_per_interrupt_select_bulk_mode(double rateBps, long expectedUs)
    {
        var itr = new AdaptiveItr(rateBps, Jiffy);
        Count(itr, 300, 1518);
        itr.Update(1 * Us);
        Assert.False(itr.IsLatencyMode);
        Assert.Equal(expectedUs * Us, itr.IntervalNs);
    }

    [Fact]
    public void Moderate_counts_nudge_the_interval_up_keep_it_or_halve_it()
    {
        var itr = new AdaptiveItr(10e9, Jiffy);
        Count(itr, 10, 1518);          // 4..47: +2 µs
        itr.Update(1 * Us);
        Assert.Equal(52 * Us, itr.IntervalNs);

        Count(itr, 60, 1518);          // 48..95: keep
        itr.Update(2 * Us);
        Assert.Equal(52 * Us, itr.IntervalNs);

        Count(itr, 100, 1518);         // 96..255: halve, not below 10
        itr.Update(3 * Us);
        Assert.Equal(26 * Us, itr.IntervalNs);

        itr.Update(4 * Us);            // no packets: +2 µs
        Assert.Equal(28 * Us, itr.IntervalNs);
    }

    [Fact]
    public void No_update_for_more_than_a_jiffy_resets_to_the_10_us_latency_setting()
    {
        var itr = new AdaptiveItr(10e9, Jiffy);
        Count(itr, 300, 1518);
        itr.Update(1 * Us);
        Assert.Equal(118 * Us, itr.IntervalNs);

        Count(itr, 300, 1518);
        itr.Update((2 * Jiffy) + 1);
        Assert.True(itr.IsLatencyMode);
        Assert.Equal(10 * Us, itr.IntervalNs);
    }
}
