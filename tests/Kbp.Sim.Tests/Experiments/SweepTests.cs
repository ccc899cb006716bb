using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Tests.Contract;

namespace Kbp.Sim.Tests.Experiments;

public class SweepTests
{
    private static readonly string Scenario = RepositoryFiles.PaperScenario("vm-napi-80mbps-64b.yaml");

    // Short runs: 30 ms measured after a 1 ms warm-up, two repetitions.
    private static readonly string[] Short = ["traffic.duration=30ms", "traffic.warmup=1ms", "traffic.repetitions=2", "traffic.seed=5"];

    private static SweepAxis Axis(string text) =>
        SweepAxis.TryParse(text, out SweepAxis? axis, out string? error) ? axis : throw new InvalidOperationException(error);

    [Fact]
    public void Points_are_the_cartesian_product_with_the_first_axis_varying_slowest()
    {
        IReadOnlyList<SweepPoint> points = SweepPoint.Enumerate([Axis("traffic.rate=80Mbps,1Gbps"), Axis("traffic.frameSize=64B, 512B ,1518B")]);

        Assert.Equal(Enumerable.Range(0, 6), points.Select(p => p.Index));
        Assert.Equal(
            [
                "traffic.rate=80Mbps,traffic.frameSize=64B",
                "traffic.rate=80Mbps,traffic.frameSize=512B",
                "traffic.rate=80Mbps,traffic.frameSize=1518B",
                "traffic.rate=1Gbps,traffic.frameSize=64B",
                "traffic.rate=1Gbps,traffic.frameSize=512B",
                "traffic.rate=1Gbps,traffic.frameSize=1518B",
            ],
            points.Select(p => p.Id));
        Assert.Equal(["traffic.rate=1Gbps", "traffic.frameSize=512B"], points[4].Overrides);
    }

    [Fact]
    public void A_point_seed_depends_on_the_run_seed_and_the_point_id_only()
    {
        IReadOnlyList<SweepPoint> big = SweepPoint.Enumerate([Axis("traffic.rate=40Mbps,80Mbps"), Axis("traffic.frameSize=64B,1518B")]);
        IReadOnlyList<SweepPoint> one = SweepPoint.Enumerate([Axis("traffic.rate=80Mbps"), Axis("traffic.frameSize=1518B")]);

        Assert.Equal(big[3].Id, one[0].Id);
        Assert.Equal(SweepPoint.Seed(1, big[3].Id), SweepPoint.Seed(1, one[0].Id));
        Assert.NotEqual(SweepPoint.Seed(1, big[3].Id), SweepPoint.Seed(2, big[3].Id));
        Assert.Equal(4, big.Select(p => SweepPoint.Seed(1, p.Id)).Distinct().Count());
    }

    [Theory]
    [InlineData("traffic.rate", "is not key=v1,v2")]
    [InlineData("=1,2", "is not key=v1,v2")]
    [InlineData("traffic..rate=1Gbps", "is not key=v1,v2")]
    [InlineData("traffic.rate=", "has no values")]
    [InlineData("traffic.rate=  ", "has no values")]
    [InlineData("traffic.rate=1Gbps,,2Gbps", "value 2 of '1Gbps,,2Gbps' is empty")]
    [InlineData("traffic.rate=1Gbps,", "is empty")]
    [InlineData("traffic.rate=1Gbps,1Gbps", "lists '1Gbps' twice")]
    public void A_malformed_vary_is_one_line_saying_what_is_wrong(string text, string expected)
    {
        Assert.False(SweepAxis.TryParse(text, out _, out string? error));
        Assert.Contains(expected, error);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void A_key_varied_twice_or_no_vary_at_all_is_refused()
    {
        Assert.False(SweepAxis.TryParseAll(["traffic.rate=1Gbps", "Traffic.Rate=2Gbps"], out _, out string? twice));
        Assert.Contains("given twice", twice);
        Assert.False(SweepAxis.TryParseAll([], out _, out string? none));
        Assert.Contains("at least one --vary", none);
    }

    [Fact]
    public void Planning_validates_every_point_and_names_the_bad_one()
    {
        var e = Assert.Throws<ScenarioException>(() => Sweep.Plan(Scenario, null, Short, [Axis("traffic.rate=80Mbps,fast")]));
        Assert.StartsWith("sweep point traffic.rate=fast: --vary: key 'traffic.rate': value 'fast' is invalid", e.OneLine);

        var unknown = Assert.Throws<ScenarioException>(() => Sweep.Plan(Scenario, null, Short, [Axis("traffic.speed=1,2")]));
        Assert.Contains("unknown key 'traffic.speed'", unknown.OneLine);
    }

    [Fact]
    public void A_point_gives_the_same_row_alone_as_inside_a_bigger_sweep_on_any_number_of_cores()
    {
        IReadOnlyList<SweepRow> big = Sweep.Run(Sweep.Plan(Scenario, null, Short, [Axis("traffic.rate=40Mbps,80Mbps"), Axis("traffic.frameSize=64B,1518B")]));
        IReadOnlyList<SweepRow> one = Sweep.Run(Sweep.Plan(Scenario, null, Short, [Axis("traffic.rate=80Mbps"), Axis("traffic.frameSize=1518B")]), maxParallelism: 1);

        Assert.Equal(4, big.Count);
        Assert.Equal(Key(big[3]), Key(one[0]));
        Assert.NotEqual(Key(big[2]), Key(big[3]));
        Assert.True(big[3].Frames.Received > 0);
    }

    [Fact]
    public void Sweep_progress_counts_every_repetition_once()
    {
        var seen = new List<SweepProgress>();
        Sweep.Run(Sweep.Plan(Scenario, null, [.. Short, "traffic.duration=5ms"], [Axis("traffic.frameSize=64B,1518B")]), progress: seen.Add);
        Assert.Equal(4, seen.Count);
        Assert.Equal(new SweepProgress(4, 4, 2, 2), seen[^1]);
    }

    /// <summary>Everything a row shows, in a comparable form.</summary>
    private static string Key(SweepRow r) =>
        $"{r.Point.Id} {r.Seed} {r.Repetitions} {r.Frames.Offered} {r.Frames.Sent} {r.Frames.Received} {r.Frames.Lost} {r.Frames.InFlight} "
        + $"{r.Latency} {string.Join(' ', r.MaxNsPerRepetition)} {r.ExcursionEpisodes} {string.Join(' ', r.TailCauses)} {r.Events}";
}
