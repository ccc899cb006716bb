using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kbp.Sim.Models.Experiments;

namespace Kbp.Sim.Tests.Experiments;

/// <summary>The RFC 2544 binary search on synthetic pass/fail functions, without the simulator.</summary>
public class ZeroLossSearchProperties
{
    private static readonly double[] Resolutions = [0.5, 0.2, 0.1, 0.01, 0.005, 0.001, 1e-6];

    /// <summary>A line rate, a resolution and a threshold, which may lie above the line rate or below the floor.</summary>
    private static Gen<(long MaxBps, double Resolution, long ThresholdBps)> Cases() =>
        from high in Gen.Choose(0, 400_000)
        from low in Gen.Choose(1, 100_000)
        let max = ((long)high * 100_000L) + low
        from resolution in Gen.Elements(Resolutions)
        from position in Gen.Choose(0, 1_000_000)
        select (max, resolution, (long)(max * 1.2 * position / 1_000_000));

    [Property(MaxTest = 500)]
    public Property With_a_monotone_system_the_answer_passes_and_lies_within_the_resolution_of_the_threshold()
    {
        return Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            (long max, double resolution, long threshold) = c;
            long floor = Math.Max(1, (long)(max * Rfc2544.FloorFraction));
            ZeroLossSearchResult r = ZeroLossSearch.Run(max, resolution, floor, rate => rate <= threshold);
            bool passes = r.ZeroLossRateBps <= threshold;
            bool tried = r.ZeroLossRateBps == 0 || r.Trials.Contains(new SearchTrial(r.ZeroLossRateBps, true));
            bool inRange = r.Trials.All(t => t.RateBps >= 1 && t.RateBps <= max);
            bool bounded = r.Trials.Count <= 2 + (int)Math.Ceiling(Math.Log2(max));
            bool close;
            if (threshold >= max)
            {
                close = r.ZeroLossRateBps == max && r.LossPointBps is null && r.Trials.Count == 1;
            }
            else
            {
                long loss = r.LossPointBps!.Value;
                bool lossFails = loss > threshold && r.Trials.Contains(new SearchTrial(loss, false));
                bool withinResolution = threshold - r.ZeroLossRateBps <= Math.Max(1, resolution * loss);
                close = lossFails && (threshold < floor || withinResolution);
            }

            return (passes && tried && inRange && bounded && close).Label(
                $"max {max} resolution {resolution} threshold {threshold}: answer {r.ZeroLossRateBps}, loss point {r.LossPointBps}, {r.Trials.Count} trials");
        });
    }

    [Property(MaxTest = 300)]
    public bool Whatever_the_system_the_answer_is_a_rate_that_passed_and_the_loss_point_one_that_failed(PositiveInt max, int seed, byte percentPassing)
    {
        // Not monotone: each rate passes or fails at random, the same way every time it is tried.
        double passing = percentPassing / 255.0;
        bool Trial(long rate) => new Random(HashCode.Combine(seed, rate)).NextDouble() < passing;
        ZeroLossSearchResult r = ZeroLossSearch.Run(max.Get, 0.01, 1, Trial);
        bool answerPassed = r.ZeroLossRateBps == 0 || Trial(r.ZeroLossRateBps);
        bool lossFailed = r.LossPointBps is not long loss || (!Trial(loss) && loss > r.ZeroLossRateBps);
        return answerPassed && lossFailed;
    }

    [Fact]
    public void A_system_that_passes_at_the_line_rate_needs_one_trial()
    {
        ZeroLossSearchResult r = ZeroLossSearch.Run(10_000_000_000, 0.005, 1, _ => true);
        Assert.Equal(10_000_000_000, r.ZeroLossRateBps);
        Assert.Null(r.LossPointBps);
        Assert.Equal([new SearchTrial(10_000_000_000, true)], r.Trials);
    }

    [Fact]
    public void The_search_halves_from_the_line_rate_and_stops_at_the_resolution()
    {
        // Threshold 3 Gb/s on a 10 Gb/s line, 10 %: 10 F, 5 F, 2.5 P, 3.75 F, 3.125 F, 2.8125 P; (3.125 - 2.8125) / 3.125 = 10 %.
        ZeroLossSearchResult r = ZeroLossSearch.Run(10_000_000_000, 0.1, 1, rate => rate <= 3_000_000_000);
        Assert.Equal(
            new long[] { 10_000_000_000, 5_000_000_000, 2_500_000_000, 3_750_000_000, 3_125_000_000, 2_812_500_000 },
            r.Trials.Select(t => t.RateBps));
        Assert.Equal(2_812_500_000, r.ZeroLossRateBps);
        Assert.Equal(3_125_000_000, r.LossPointBps);
    }

    [Fact]
    public void A_system_that_loses_frames_at_every_rate_gets_zero_after_reaching_the_floor()
    {
        ZeroLossSearchResult r = ZeroLossSearch.Run(10_000_000_000, 0.005, 1_000_000, _ => false);
        Assert.Equal(0, r.ZeroLossRateBps);
        Assert.True(r.LossPointBps <= 1_000_000);
        Assert.All(r.Trials, t => Assert.False(t.Passed));
        Assert.True(r.Trials.Count < 20);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(0.51)]
    [InlineData(double.NaN)]
    public void A_resolution_outside_0_to_50_percent_is_refused(double resolution)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ZeroLossSearch.Run(1_000, resolution, 1, _ => true));
    }
}
