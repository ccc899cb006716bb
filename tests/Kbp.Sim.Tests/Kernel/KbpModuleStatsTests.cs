using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Tests.Contract;

namespace Kbp.Sim.Tests.Kernel;

public class KbpModuleStatsTests
{
    private const string Valid = """
        # kbp stats v1
        params cpus=0 weight=64 idle_mode=busy policy=fifo priority=50
        cpu=0 schedules=644 remote_schedules=306 wakeups=0 polls=659 packets=1325 empty_polls=341 idle_loops=3414021 requeues=15 sched_to_poll_count=644 sched_to_poll_sum_ns=375154149 sched_to_poll_max_ns=47103082
        batch cpu=0 0=341 1=301 2-3=0 4-7=1 8-15=0 16-31=0 32-63=1 64-127=15 128-255=0 256+=0
        """;

    [Fact]
    public void The_QEMU_fixture_with_the_defaults_reads_as_the_README_describes_it()
    {
        KbpModuleStats stats = KbpModuleStats.Load(RepositoryFiles.Fixture("kbp-stats-qemu.txt"));

        Assert.Empty(stats.Problems);
        Assert.Equal(KbpModuleParameters.LoadLine(new KbpOptions()), KbpModuleParameters.LoadLine(stats.Options!));
        Assert.Equal("64", stats.Params["weight"]);
        KbpThreadStats thread = Assert.Single(stats.Threads);
        Assert.Equal(0, thread.Cpu);
        KbpCounters c = thread.Counters;
        Assert.Equal((644, 306, 0, 659, 1325, 341, 3414021, 15), (c.Schedules, c.RemoteSchedules, c.Wakeups, c.Polls, c.Packets, c.EmptyPolls, c.IdleLoops, c.Requeues));
        Assert.Equal((644, 375154149, 47103082), (c.SchedToPollCount, c.SchedToPollSumNs, c.SchedToPollMaxNs));
        Assert.Equal(341, c.Batch[0]);
        Assert.Equal(15, c.Batch[KbpBatchHistogram.BucketOf(64)]);
        Assert.Equal(c.Polls, c.Batch.Total);
        Assert.Equal(341.0 / 659, c.EmptyPollRatio, 12);
        Assert.Equal(1325.0 / 659, c.PacketsPerPoll, 12);
    }

    [Fact]
    public void The_QEMU_fixture_in_sleep_mode_has_two_threads_and_its_parameters()
    {
        KbpModuleStats stats = KbpModuleStats.Load(RepositoryFiles.Fixture("kbp-stats-qemu-sleep.txt"));

        Assert.Empty(stats.Problems);
        Assert.Equal([0, 1], stats.Threads.Select(t => t.Cpu));
        KbpOptions options = stats.Options!;
        Assert.Equal([0, 1], options.Cpus);
        Assert.Equal((8, KbpIdleMode.Sleep, SchedPolicy.Rr, 10), (options.Weight, options.IdleMode, options.Policy, options.Priority));

        KbpCounters cpu1 = stats.Threads[1].Counters;
        Assert.Equal(253, cpu1.Requeues);
        Assert.Equal(253, cpu1.Batch[KbpBatchHistogram.BucketOf(8)]);
        Assert.Equal(202, cpu1.Wakeups);
        KbpCounters total = KbpCounters.Sum(stats.Threads.Select(t => t.Counters));
        Assert.Equal(451 + 456, total.Polls);
        Assert.Equal(22380191, total.SchedToPollMaxNs);
    }

    [Fact]
    public void Normal_policy_reads_with_the_priority_zero_the_module_prints_for_it()
    {
        KbpModuleStats stats = KbpModuleStats.Parse(Valid.Replace("policy=fifo priority=50", "policy=normal priority=0", StringComparison.Ordinal));
        Assert.Equal(SchedPolicy.Fair, stats.Options!.Policy);
        Assert.Empty(stats.Problems);
    }

    [Fact]
    public void Unknown_keys_a_later_version_may_add_are_ignored()
    {
        string text = Valid
            .Replace("sched_to_poll_max_ns=47103082", "sched_to_poll_max_ns=47103082 gro_flushes=7", StringComparison.Ordinal)
            .Replace("priority=50", "priority=50 napi_defer=2", StringComparison.Ordinal);
        KbpModuleStats stats = KbpModuleStats.Parse(text);
        Assert.Empty(stats.Problems);
        Assert.Equal(659, stats.Threads[0].Counters.Polls);
        Assert.Equal("2", stats.Params["napi_defer"]);
    }

    [Theory]
    [InlineData("cpu=0 schedules=644", "lacks")]
    [InlineData("cpu=x schedules=1", "malformed cpu line")]
    [InlineData("cpu=0 schedules=-1", "malformed cpu line")]
    [InlineData("cpu=0 schedules=99999999999999999999 remote_schedules=0 wakeups=0 polls=0 packets=0 empty_polls=0 idle_loops=0 requeues=0 sched_to_poll_count=0 sched_to_poll_sum_ns=0 sched_to_poll_max_ns=0", "out of range")]
    [InlineData("batch cpu=0 0=1 1=2", "of the 10 buckets")]
    [InlineData("batch cpu=0 0=1 1=0 2-3=0 4-7=0 8-15=0 16-31=0 32-63=0 64-127=0 128-255=0 3-5=0", "not a v1 bucket")]
    [InlineData("batch cpu=7 0=1 1=0 2-3=0 4-7=0 8-15=0 16-31=0 32-63=0 64-127=0 128-255=0 256+=0", "without a usable cpu=7 line")]
    [InlineData("params weight=lots", "weight=lots")]
    [InlineData("params policy=deadline", "policy=deadline")]
    [InlineData("params", "malformed params line")]
    [InlineData("hello world", "not a params, cpu= or batch line")]
    [InlineData("cpu=0 schedules=1 remote_schedules=0 wakeups=0 polls=0 packets=0 empty_polls=0 idle_loops=0 requeues=0 sched_to_poll_count=0 sched_to_poll_sum_ns=0 sched_to_poll_max_ns=0", "a second cpu=0 line")]
    public void A_malformed_line_is_reported_with_its_number_and_skipped(string line, string message)
    {
        KbpModuleStats stats = KbpModuleStats.Parse(Valid + "\n" + line + "\n");

        KbpStatsProblem problem = Assert.Single(stats.Problems);
        Assert.Equal(5, problem.Line);
        Assert.True(problem.Skipped);
        Assert.Contains(message, problem.Message, StringComparison.Ordinal);
        Assert.Equal(1, stats.SkippedLines);
        KbpThreadStats thread = Assert.Single(stats.Threads);
        Assert.Equal(659, thread.Counters.Polls);
    }

    [Fact]
    public void A_second_params_line_is_skipped_and_the_first_kept()
    {
        KbpModuleStats stats = KbpModuleStats.Parse(Valid + "\nparams weight=8\n");
        Assert.Equal(5, Assert.Single(stats.Problems).Line);
        Assert.Equal(64, stats.Options!.Weight);
    }

    [Fact]
    public void A_cpu_line_without_its_batch_line_is_used_and_reported()
    {
        string text = string.Join('\n', Valid.Split('\n').Where(l => !l.StartsWith("batch", StringComparison.Ordinal)));
        KbpModuleStats stats = KbpModuleStats.Parse(text);

        KbpStatsProblem problem = Assert.Single(stats.Problems);
        Assert.Equal(3, problem.Line);
        Assert.False(problem.Skipped);
        Assert.Equal(659, stats.Threads[0].Counters.Polls);
        Assert.True(double.IsNaN(stats.Threads[0].Counters.Batch.Share(0)));
    }

    [Fact]
    public void A_missing_header_is_reported_and_the_rest_read()
    {
        KbpModuleStats stats = KbpModuleStats.Parse(Valid[(Valid.IndexOf('\n', StringComparison.Ordinal) + 1)..]);
        KbpStatsProblem problem = Assert.Single(stats.Problems);
        Assert.Equal(1, problem.Line);
        Assert.Contains("header", problem.Message, StringComparison.Ordinal);
        Assert.Single(stats.Threads);
    }

    [Fact]
    public void Windows_line_ends_and_blank_lines_are_accepted()
    {
        KbpModuleStats stats = KbpModuleStats.Parse(Valid.Replace("\n", "\r\n\r\n", StringComparison.Ordinal));
        Assert.Empty(stats.Problems);
        Assert.Single(stats.Threads);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# kbp stats v1\n")]
    [InlineData("# kbp stats v1\nparams cpus=0 weight=64\n")]
    [InlineData("# kbp stats v1\ncpu=0 polls=3\nbatch cpu=0 0=3\n")]
    [InlineData("not a statistics file at all\n\u0000\u0001")]
    public void A_file_with_no_usable_thread_line_is_refused_in_one_line(string text)
    {
        var e = Assert.Throws<FormatException>(() => KbpModuleStats.Parse(text));
        Assert.Contains("no usable KBP statistics", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Another_format_version_is_refused()
    {
        var e = Assert.Throws<FormatException>(() => KbpModuleStats.Parse(Valid.Replace("v1", "v2", StringComparison.Ordinal)));
        Assert.Contains("v1", e.Message, StringComparison.Ordinal);
    }
}
