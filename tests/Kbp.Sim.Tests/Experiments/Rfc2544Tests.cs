using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Topologies;
using Kbp.Sim.Tests.Contract;

namespace Kbp.Sim.Tests.Experiments;

public class Rfc2544Tests
{
    private static readonly string Scenario = RepositoryFiles.PaperScenario("vm-napi-1gbps-1518b.yaml");

    /// <summary>A tiny test: 64 B frames on a 1 Gb/s line (which the VM cannot carry), 1 ms warm-up, 50 ms trials.</summary>
    private static VmSpec Tiny(params int[] frameSizes) =>
        Rfc2544.Prepare(Scenario, null, ["nic.rate=1Gbps", "traffic.warmup=1ms"], frameSizes.Length == 0 ? [64] : frameSizes, 50_000_000).Specs[0];

    [Fact]
    public void The_search_finds_a_rate_that_passes_just_below_a_rate_that_fails()
    {
        VmSpec spec = Tiny();
        ThroughputSearch s = Rfc2544.Search(spec, repetition: 0, resolution: 0.2, seed: 1);

        Assert.True(s.ZeroLossRateBps > 0, "some rate passes");
        long loss = Assert.NotNull(s.LossPointBps);
        Assert.True(loss > s.ZeroLossRateBps);
        Assert.True(loss - s.ZeroLossRateBps <= 0.2 * loss, $"{s.ZeroLossRateBps} .. {loss} is within 20 %");

        // Re-run both ends in full: the answer passes, the loss point fails.
        Assert.True(ThroughputTrial.Run(spec, s.ZeroLossRateBps, s.Seed, stopAtFirstLoss: false).Passed);
        TrialOutcome above = ThroughputTrial.Run(spec, loss, s.Seed, stopAtFirstLoss: false);
        Assert.False(above.Passed);
        Assert.True(above.Lost > 0);
        Assert.Equal(above.Lost, above.LostByReason.Sum());
    }

    [Fact]
    public void A_failing_trial_stops_at_its_first_lost_frame_and_is_the_full_trial_up_to_it()
    {
        VmSpec spec = Tiny();
        const long Rate = 1_000_000_000; // 1.49 M frames/s of 64 B: far above what the VM echoes
        TrialOutcome early = ThroughputTrial.Run(spec, Rate, seed: 3, stopAtFirstLoss: true);
        TrialOutcome full = ThroughputTrial.Run(spec, Rate, seed: 3, stopAtFirstLoss: false);

        Assert.False(early.Passed);
        Assert.True(early.StoppedEarly);
        Assert.Equal(1, early.Lost);
        Assert.False(full.Passed);
        Assert.False(full.StoppedEarly);
        Assert.True(full.Lost > early.Lost);
        Assert.True(early.Events < full.Events);
        Assert.True(early.Sent < full.Sent);
    }

    [Fact]
    public void A_passing_trial_runs_its_full_length_with_or_without_early_stop()
    {
        VmSpec spec = Tiny();
        const long Rate = 20_000_000;
        TrialOutcome early = ThroughputTrial.Run(spec, Rate, seed: 3, stopAtFirstLoss: true);
        TrialOutcome full = ThroughputTrial.Run(spec, Rate, seed: 3, stopAtFirstLoss: false);

        Assert.True(early.Passed);
        Assert.Equal(full with { LostByReason = early.LostByReason }, early);
        Assert.Equal(full.Offered, early.Received);
    }

    [Fact]
    public void The_test_is_deterministic_and_does_not_depend_on_the_core_count()
    {
        var (_, specs) = Rfc2544.Prepare(Scenario, null, ["nic.rate=1Gbps", "traffic.warmup=1ms"], [64, 1518], 20_000_000);
        Rfc2544Result a = Rfc2544.Run(specs, 0.25, repetitions: 2, seed: 9);
        Rfc2544Result b = Rfc2544.Run(specs, 0.25, repetitions: 2, seed: 9, maxParallelism: 1);

        Assert.Equal(Describe(a), Describe(b));
        Assert.Equal([64, 1518], a.FrameSizes.Select(f => f.FrameBytes));
        Assert.All(a.FrameSizes, f => Assert.Equal(1_000_000_000, f.LineRateBps));
        Assert.NotEqual(a.FrameSizes[0].Searches[0].Seed, a.FrameSizes[0].Searches[1].Seed);

        // A frame size's searches do not depend on the other frame sizes asked for.
        Rfc2544Result alone = Rfc2544.Run([specs[1]], 0.25, repetitions: 2, seed: 9);
        Assert.Equal(Describe(a).Split('\n')[1], Describe(alone).Split('\n')[0]);
    }

    private static string Describe(Rfc2544Result r) => string.Join('\n', r.FrameSizes.Select(f =>
        $"{f.FrameBytes}: " + string.Join(" | ", f.Searches.Select(s => $"{s.Seed} {s.ZeroLossRateBps} {s.LossPointBps} "
            + string.Join(",", s.Trials.Select(t => $"{t.RateBps}/{t.Passed}/{t.Sent}/{t.Lost}/{t.Events}"))))
        + $" loss-point trial {f.LossPointTrial?.RateBps} {f.LossPointTrial?.Lost} {string.Join(",", f.LossPointTrial?.LostByReason ?? [])}"));
}
