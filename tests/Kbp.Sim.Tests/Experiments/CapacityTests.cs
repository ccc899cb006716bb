using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Tests.Contract;

namespace Kbp.Sim.Tests.Experiments;

/// <summary>Capacity questions on the simulator, with short trials.</summary>
public class CapacityTests
{
    private static readonly string KbpScenario = RepositoryFiles.PaperScenario("vm-kbp-1gbps-512b.yaml");

    /// <summary>KBP on the 1.7 GHz host (the guest's receive path costs the paper's 2.20 us), short warm-up.</summary>
    private static CapacitySetup Kbp(long trialNs, params string[] sets) =>
        CapacitySetup.Prepare(KbpScenario, null, ["host.clock=1.7GHz", "traffic.warmup=10ms", .. sets], trialNs, []);

    [Fact]
    public void One_way_the_simulated_frame_size_limit_at_1_Gbps_is_within_one_step_of_the_papers_arithmetic()
    {
        CapacitySetup setup = Kbp(200_000_000, "traffic.mode=one-way");
        CapacityAnswer a = Assert.Single(Capacity.FrameSizeLimits(setup, Slo.Parse("loss=0"), [1_000_000_000], stepBytes: 8).Answers);

        // 1 Gbit/s of frame bits, a frame every 2.20 us: 275 B, the grid's 280 B.
        Assert.Equal(275.0, a.Analytic.Optimistic, 6);
        Assert.Equal(280.0, a.Analytic.GridConservative);
        Assert.StartsWith("guest rx", a.Analytic.Bottleneck);
        double answer = Assert.NotNull(a.Answer);
        Assert.InRange(answer, 272, 288);
        Assert.True(a.StepsFromAnalytic <= 1, $"{answer} B is {a.StepsFromAnalytic} steps from the analytic range");
        Assert.Equal(answer - 8, a.Failing);
        Assert.True(a.AtAnswer!.Passed);

        // Beyond the limit, the guest's receive path falls behind: vhost cannot hand over, the tap queue overflows.
        Assert.NotNull(a.Boundary);
        CapacityTrialOutcome boundary = a.Boundary;
        Assert.False(boundary.Passed);
        Assert.False(boundary.StoppedEarly);
        Assert.Equal(DropReason.TapQueue, boundary.MainDropSite);
    }

    [Fact]
    public void The_answers_and_their_trials_do_not_depend_on_the_core_count()
    {
        CapacitySetup setup = Kbp(50_000_000);
        Slo slo = Slo.Parse("max<200us");
        CapacityResult one = Capacity.FrameSizeLimits(setup, slo, [1_000_000_000, 600_000_000], stepBytes: 16, maxParallelism: 1);
        CapacityResult two = Capacity.FrameSizeLimits(setup, slo, [600_000_000, 1_000_000_000], stepBytes: 16, maxParallelism: 3);

        foreach (CapacityAnswer a in one.Answers)
        {
            CapacityAnswer b = two.Answers.Single(x => x.FixedRateBps == a.FixedRateBps);
            Assert.Equal(a.Answer, b.Answer);
            Assert.Equal(
                a.Trials.Select(t => (t.Point, t.Passed, t.Received, t.Latency.MaxNs, t.Events)),
                b.Trials.Select(t => (t.Point, t.Passed, t.Received, t.Latency.MaxNs, t.Events)));
            Assert.Equal(a.Boundary?.Events, b.Boundary?.Events);
        }
    }

    [Fact]
    public void A_tighter_objective_never_gives_a_smaller_frame_size_limit()
    {
        CapacitySetup setup = Kbp(50_000_000);
        double? Limit(string slo) => Capacity.FrameSizeLimits(setup, Slo.Parse(slo), [1_000_000_000], stepBytes: 16).Answers[0].Answer;

        double loose = Assert.NotNull(Limit("loss=0"));
        double tighter = Assert.NotNull(Limit("max<300us"));
        double tightest = Assert.NotNull(Limit("max<150us"));
        Assert.True(loose <= tighter && tighter <= tightest, $"loss=0 {loose} B, max<300us {tighter} B, max<150us {tightest} B");
    }

    [Fact]
    public void A_trial_stops_at_its_first_late_frame_and_agrees_with_the_full_trial()
    {
        CapacitySetup setup = Kbp(50_000_000);
        var point = new CapacityPoint(1518, 1_000_000_000, RateIsL1: false);
        Slo slo = Slo.Parse("max<60us");
        CapacityTrialOutcome early = CapacityTrial.Run(setup.SpecFor(1518), point, setup.Seed, slo);
        CapacityTrialOutcome full = CapacityTrial.Run(setup.SpecFor(1518), point, setup.Seed, slo, fullLength: true);

        Assert.False(early.Passed);
        Assert.False(full.Passed);
        Assert.True(early.StoppedEarly);
        Assert.Contains("trial stopped there", early.Violation);
        Assert.NotNull(early.FirstLateCause);
        Assert.Equal(early.FirstLateCause, full.FirstLateCause);
        Assert.True(early.Events < full.Events);
        Assert.True(full.Latency.MaxNs >= 60_000);
        Assert.NotNull(full.Counters);
    }

    [Fact]
    public void A_rate_over_the_line_fails_without_running()
    {
        CapacitySetup setup = Kbp(50_000_000, "nic.rate=1Gbps");
        CapacityTrialOutcome t = CapacityTrial.Run(setup.SpecFor(64), new CapacityPoint(64, 900_000_000, RateIsL1: false), setup.Seed, Slo.Parse("loss=0"));

        Assert.True(t.OverLine);
        Assert.False(t.Passed);
        Assert.Equal(0, t.Events);
    }

    [Fact]
    public void The_highest_rate_for_512_B_frames_lies_in_the_analytic_range_and_the_grid_agrees_with_it()
    {
        CapacitySetup setup = Kbp(50_000_000, "traffic.mode=one-way");
        CapacityAnswer a = Assert.Single(Capacity.MaxRates(setup, Slo.Parse("loss=0"), [512], resolution: 0.02).Answers);

        // One-way, nothing is a range: the guest's 2.20 us per frame at 512 B is 1.862 Gbit/s of frame bits.
        Assert.Equal(512 * 8 / 2.2e-6, a.Analytic.Optimistic, 0);
        double rate = Assert.NotNull(a.Answer);
        Assert.True(a.StepsFromAnalytic <= 2, $"{rate} bit/s is {a.StepsFromAnalytic} steps from {a.Analytic.Optimistic}");
        double failing = Assert.NotNull(a.Failing);

        CapacityGrid g = Assert.IsType<CapacityGrid>(Capacity.Grid(setup, Slo.Parse("loss=0"), [512], [(long)rate, (long)failing]).Grid);
        Assert.True(g.Cells[0][0].Passed);
        Assert.False(g.Cells[0][1].Passed);
        Assert.Equal(0, g.BoundaryRateIndex[0]);
        Assert.Empty(g.NotMonotone);
    }
}
