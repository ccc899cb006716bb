using FsCheck;
using FsCheck.Xunit;
using HdrHistogram;
using Kbp.Sim.Statistics;

namespace Kbp.Sim.Tests.Engine;

public class StatisticsTests
{
    [Property]
    public bool Latency_percentiles_are_within_the_histogram_relative_error(NonEmptyArray<PositiveInt> samples, byte percentileByte)
    {
        var recorder = new LatencyRecorder("rtt");
        long[] values = samples.Get.Select(s => (long)s.Get).ToArray();
        foreach (long v in values)
        {
            recorder.Record(v);
        }

        Array.Sort(values);
        double p = Math.Min(100.0, percentileByte / 2.0);
        long rank = Math.Max(1, (long)((p / 100.0 * values.Length) + 0.5));
        long exactAtOrBelow = values[rank - 1];
        long reported = recorder.PercentileNs(p);
        double tolerance = exactAtOrBelow * 1e-3 + 1;
        return recorder.Count == values.Length
            && recorder.MaxNs == values[^1]
            && recorder.MinNs == values[0]
            && Math.Abs(reported - exactAtOrBelow) <= tolerance;
    }

    [Property]
    public bool Latency_recorder_reports_what_a_plain_HdrHistogram_of_the_same_samples_reports(NonEmptyArray<PositiveInt> mantissas, byte[] shifts, PositiveInt digits)
    {
        int significantDigits = 1 + (digits.Get % 5);
        var recorder = new LatencyRecorder("rtt", significantDigits: significantDigits);
        var plain = new LongHistogram(1, LatencyRecorder.DefaultHighestNs, significantDigits);
        var fromRecorder = new StringWriter();
        for (int i = 0; i < mantissas.Get.Length; i++)
        {
            // Values across the whole range, from single nanoseconds to far above the sub-buckets.
            long value = Math.Min((long)mantissas.Get[i].Get << (shifts.Length == 0 ? 0 : shifts[i % shifts.Length] % 22), LatencyRecorder.DefaultHighestNs);
            recorder.Record(value);
            plain.RecordValue(value);
            if (i % 7 == 3)
            {
                // Reading folds the recent samples in; recording goes on afterwards.
                recorder.PercentileNs(50);
            }
        }

        recorder.WritePercentileDistribution(fromRecorder);
        var fromPlain = new StringWriter();
        plain.OutputPercentileDistribution(fromPlain, outputValueUnitScalingRatio: 1000.0);
        return fromRecorder.ToString() == fromPlain.ToString()
            && new[] { 0.0, 10, 50, 90, 99, 99.9, 99.99 }.All(p => recorder.PercentileNs(p) == Math.Min(plain.GetValueAtPercentile(p), recorder.MaxNs));
    }

    [Fact]
    public void Latency_recorder_keeps_exact_mean_and_max_and_refuses_negative_delays()
    {
        var recorder = new LatencyRecorder("delay", highestNs: 1_000);
        recorder.Record(0);
        recorder.Record(10);
        recorder.Record(5_000);

        Assert.Equal(5_000, recorder.MaxNs);
        Assert.Equal(5_010 / 3.0, recorder.MeanNs, 6);
        Assert.Equal(1, recorder.SaturatedCount);
        Assert.Equal(5_000, recorder.PercentileNs(100));
        Assert.Throws<ArgumentOutOfRangeException>(() => recorder.Record(-1));
    }

    [Fact]
    public void Latency_recorder_writes_hgrm_percentiles()
    {
        var recorder = new LatencyRecorder("rtt");
        for (int i = 1; i <= 1000; i++)
        {
            recorder.Record(i * 1_000L);
        }

        var text = new StringWriter();
        recorder.WritePercentileDistribution(text);
        Assert.Contains("Value     Percentile TotalCount 1/(1-Percentile)", text.ToString());
    }

    [Fact]
    public void Time_weighted_gauge_averages_over_time_not_samples()
    {
        var gauge = new TimeWeightedGauge("ring", startNs: 0, initialValue: 0);
        gauge.Set(10, 4);
        gauge.Set(20, 0);
        gauge.Set(20, 100);
        gauge.Set(20, 0);

        Assert.Equal(40.0 / 40, gauge.Mean(40), 9);
        Assert.Equal(100, gauge.Max);
        Assert.Throws<ArgumentOutOfRangeException>(() => gauge.Set(19, 1));
    }

    [Fact]
    public void Counter_counts()
    {
        var counter = new Counter("drops");
        counter.Increment();
        counter.Add(4);
        Assert.Equal(5, counter.Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => counter.Add(-1));
    }
}
