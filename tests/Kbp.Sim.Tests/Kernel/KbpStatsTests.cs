using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kbp.Sim.Models.Kernel;

namespace Kbp.Sim.Tests.Kernel;

/// <summary>The model's KBP thread counts what kernel-module/kbp.c counts, with the module's batch buckets.</summary>
public class KbpStatsTests
{
    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(7, 3)]
    [InlineData(8, 4)]
    [InlineData(63, 6)]
    [InlineData(64, 7)]
    [InlineData(127, 7)]
    [InlineData(128, 8)]
    [InlineData(255, 8)]
    [InlineData(256, 9)]
    [InlineData(int.MaxValue, 9)]
    public void A_poll_result_falls_in_the_module_bucket_fls_of_it(int work, int bucket) =>
        Assert.Equal(bucket, KbpBatchHistogram.BucketOf(work));

    [Property]
    public Property Every_positive_poll_result_lies_in_the_range_its_bucket_label_names(PositiveInt work)
    {
        int w = work.Get;
        int b = KbpBatchHistogram.BucketOf(w);
        string label = KbpBatchHistogram.Label(b);
        bool inRange = label.EndsWith('+')
            ? w >= int.Parse(label.TrimEnd('+'), System.Globalization.CultureInfo.InvariantCulture)
            : label.Split('-') is [var lo, var hi] ? w >= int.Parse(lo, System.Globalization.CultureInfo.InvariantCulture) && w <= int.Parse(hi, System.Globalization.CultureInfo.InvariantCulture) : w == int.Parse(label, System.Globalization.CultureInfo.InvariantCulture);
        return (inRange && KbpBatchHistogram.BucketOfLabel(label) == b && KbpBatchHistogram.LowerBound(b) <= w).ToProperty();
    }

    [Fact]
    public void The_KBP_thread_counts_schedules_polls_packets_empty_polls_requeues_and_batches_consistently()
    {
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim, cpus: 2, ticks: true);
        var kbp = new KbpNapiScheduler(kernel, new KbpOptions { Cpus = [0] });
        var device = new FakeDevice(kernel.Cpus[0]);
        sim.Run(untilNs: 1_000_000);
        for (int burst = 0; burst < 50; burst++)
        {
            int frames = burst % 5 == 0 ? 100 : 1 + burst;
            sim.Schedule(sim.NowNs + (burst * 200_000), _ => device.Arrive(frames));
        }

        sim.Run(untilNs: 20_000_000);

        KbpCounters c = kbp.Threads[0].Stats;
        Assert.Equal(device.Delivered.Count, c.Packets);
        Assert.Equal(c.Polls, c.Batch.Total);
        Assert.Equal(c.EmptyPolls, c.Batch[0]);
        Assert.True(c.Requeues > 0);

        // weight 64 = the napi's weight: a full-weight poll returns exactly 64, and is requeued.
        Assert.Equal(c.Requeues, c.Batch[KbpBatchHistogram.BucketOf(64)]);

        // Every list entry is polled once: a schedule or a requeue; only schedules are timed.
        Assert.Empty(kbp.Threads[0].PollList);
        Assert.Equal(c.Polls, c.Schedules + c.Requeues);
        Assert.Equal(c.Schedules, c.SchedToPollCount);
        Assert.InRange(c.SchedToPollMaxNs, 1, 1_000_000);
        Assert.InRange(c.SchedToPollMeanNs, 1, c.SchedToPollMaxNs);
        Assert.Equal(0, c.Wakeups);
        Assert.Equal(0, c.RemoteSchedules);

        // A busy thread's idle turns are its spin time in loop turns of PollLoopNs (100 ns): most of 20 ms.
        Assert.InRange(c.IdleLoops, 100_000, 200_000);
    }

    [Fact]
    public void A_sleeping_KBP_thread_counts_a_wakeup_and_a_nap_per_sparse_frame()
    {
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim, cpus: 1);
        var kbp = new KbpNapiScheduler(kernel, new KbpOptions { Cpus = [0], IdleMode = KbpIdleMode.Sleep });
        var device = new FakeDevice(kernel.Cpus[0]);
        sim.Run(untilNs: 100_000);
        for (int i = 0; i < 10; i++)
        {
            sim.Schedule(sim.NowNs + (i * 100_000), _ => device.Arrive(1));
        }

        sim.Run(untilNs: 2_000_000);

        KbpCounters c = kbp.Threads[0].Stats;
        Assert.Equal(10, c.Schedules);
        Assert.Equal(10, c.Wakeups);
        Assert.Equal(10, c.Polls);
        Assert.Equal(10, c.Batch[1]);

        // The nap before the first frame and one after each.
        Assert.Equal(11, c.IdleLoops);
    }

    [Fact]
    public void A_KBP_weight_above_the_napi_weight_requeues_the_napi_instead_of_losing_it()
    {
        var sim = new Simulator(1);
        var kernel = KernelFixture.NewKernel(sim, cpus: 1);
        var kbp = new KbpNapiScheduler(kernel, new KbpOptions { Cpus = [0], Weight = 256 });
        var device = new FakeDevice(kernel.Cpus[0], weight: 64);
        sim.Run(untilNs: 100_000);
        device.Arrive(200);
        sim.Run(untilNs: 2_000_000);
        device.Arrive(10);
        sim.Run(untilNs: 3_000_000);

        Assert.Equal(210, device.Delivered.Count);
        Assert.False(device.Napi.IsScheduled);
        Assert.Equal(3, kbp.Threads[0].Stats.Requeues);
    }
}
