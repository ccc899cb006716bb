using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Statistics;

namespace Kbp.Sim.Tests.Experiments;

/// <summary>The service-level objective of <c>kbp-sim capacity</c>: its syntax, its verdicts and their monotonicity.</summary>
public class CapacitySloTests
{
    [Theory]
    [InlineData("max<250us", "max<250us")]
    [InlineData("p99.9<1ms", "p99.9<1ms")]
    [InlineData("loss=0", "loss=0")]
    [InlineData(" p99 < 100us , loss = 0 ", "p99<100us,loss=0")]
    [InlineData("MAX<0.25ms", "max<250us")]
    [InlineData("p50<20us,p99.99<2ms,max<5ms", "p50<20us,p99.99<2ms,max<5ms")]
    public void Objectives_parse_and_print_back_in_canonical_form(string text, string canonical)
    {
        Assert.True(Slo.TryParse(text, out Slo? slo, out string? error), error);
        Assert.Equal(canonical, slo.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("max<250", "not a time")]
    [InlineData("max<", "not a time")]
    [InlineData("max<0us", "positive")]
    [InlineData("max<-1us", "positive")]
    [InlineData("max>250us", "not a bound")]
    [InlineData("max<=250us", "not a time")]
    [InlineData("p100<1ms", "percentile")]
    [InlineData("p0<1ms", "percentile")]
    [InlineData("p99..9<1ms", "percentile")]
    [InlineData("latency<1ms", "not a bound")]
    [InlineData("loss=1", "only loss=0")]
    [InlineData("loss<1%", "not a bound")]
    [InlineData("max<1ms,,loss=0", "bound 2 is empty")]
    [InlineData("max<1ms,max<2ms", "max twice")]
    [InlineData("p99<1ms,p99<2ms", "p99 twice")]
    public void Malformed_objectives_are_refused_with_a_reason(string text, string reason)
    {
        Assert.False(Slo.TryParse(text, out _, out string? error));
        Assert.Contains(reason, error);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void A_lost_frame_counts_as_infinitely_late()
    {
        LatencyRecorder fast = Recorder(Enumerable.Repeat(10_000L, 999));
        Assert.False(Slo.Parse("max<1ms").Judge(1000, 999, fast).Holds);
        Assert.False(Slo.Parse("loss=0").Judge(1000, 999, fast).Holds);
        Assert.True(Slo.Parse("p99.9<1ms").Judge(1000, 999, fast).Holds, "0.1 % may be lost");
        Assert.False(Slo.Parse("p99.95<1ms").Judge(1000, 999, fast).Holds);
        Assert.Contains("lost", Slo.Parse("p99.95<1ms").Judge(1000, 999, fast).Violation);
    }

    [Fact]
    public void Bounds_are_strict_and_the_first_broken_one_is_named()
    {
        LatencyRecorder r = Recorder([100_000, 200_000, 250_000]);
        Assert.False(Slo.Parse("max<250us").Judge(3, 3, r).Holds);
        Assert.True(Slo.Parse("max<251us").Judge(3, 3, r).Holds);
        SloVerdict v = Slo.Parse("loss=0,p50<150us,max<1ms").Judge(3, 3, r);
        Assert.False(v.Holds);
        Assert.StartsWith("p50<150us", v.Violation);
    }

    /// <summary>Trials: offered frames, how many came back, their delays.</summary>
    private static Gen<(long Offered, long Received, long[] Delays)> Trials() =>
        from offered in Gen.Choose(1, 400)
        from back in Gen.Choose(0, offered)
        from delays in Gen.ArrayOf(Gen.Choose(1, 2_000_000), back)
        select ((long)offered, (long)back, delays.Select(d => (long)d).ToArray());

    private static readonly double[] Percentiles = [50, 90, 99, 99.5, 99.9, 99.99];

    [Property(MaxTest = 300)]
    public Property A_trial_that_meets_a_tighter_objective_meets_every_looser_one()
    {
        Gen<(long, long, long[], double, double, long, long)> cases =
            from t in Trials()
            from p1 in Gen.Elements(Percentiles)
            from p2 in Gen.Elements(Percentiles)
            from t1 in Gen.Choose(1, 2_100_000)
            from t2 in Gen.Choose(1, 2_100_000)
            select (t.Offered, t.Received, t.Delays, p1, p2, (long)t1, (long)t2);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            (long offered, long received, long[] delays, double p1, double p2, long t1, long t2) = c;
            LatencyRecorder r = Recorder(delays);

            // Tighter: a higher percentile, a smaller bound, the max instead of a percentile, one more bound.
            double pt = Math.Max(p1, p2), pl = Math.Min(p1, p2);
            long tt = Math.Min(t1, t2), tl = Math.Max(t1, t2);
            string Us(long ns) => $"{ns}ns";
            (string Tight, string Loose)[] pairs =
            [
                ($"p{pt}<{Us(tt)}", $"p{pl}<{Us(tl)}"),
                ($"max<{Us(tt)}", $"max<{Us(tl)}"),
                ($"max<{Us(tt)}", $"p{pl}<{Us(tt)}"),
                ($"max<{Us(tt)}", "loss=0"),
                ($"p{pl}<{Us(tt)},loss=0", $"p{pl}<{Us(tt)}"),
            ];
            foreach ((string tight, string loose) in pairs)
            {
                bool holdsTight = Slo.Parse(tight).Judge(offered, received, r).Holds;
                bool holdsLoose = Slo.Parse(loose).Judge(offered, received, r).Holds;
                if (holdsTight && !holdsLoose)
                {
                    return false.Label($"{tight} holds but {loose} does not ({received} of {offered} back)");
                }
            }

            return true.ToProperty();
        });
    }

    private static LatencyRecorder Recorder(IEnumerable<long> delays)
    {
        var r = new LatencyRecorder("rtt");
        foreach (long d in delays)
        {
            r.Record(d);
        }

        return r;
    }
}
