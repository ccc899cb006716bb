using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Topologies;
using Kbp.Sim.Randomness;
using Kbp.Sim.Time;

namespace Kbp.Sim.Models.Experiments;

/// <summary>
/// The paper's latency method: the tester sends at a fixed rate for the duration and
/// measures every round trip; repeated with independent seeds, repetitions running in
/// parallel. Each repetition's seed derives from (run seed, repetition index) only, so the
/// result does not depend on how many cores ran it.
/// </summary>
public static class LatencyRun
{
    /// <summary>Simulated time before the tester starts, letting threads and ticks settle.</summary>
    public static readonly long SettleNs = 10 * SimTime.NsPerMs;

    /// <summary>Simulated time after the last frame is sent, for frames in flight to come back or be lost.</summary>
    public static readonly long DrainNs = 200 * SimTime.NsPerMs;

    /// <summary>
    /// Runs <paramref name="repetitions"/> repetitions of <paramref name="spec"/>;
    /// <paramref name="frameObserver"/>, if given, returns for each repetition index an
    /// observer of its measured frames as they come back, with the time their last bit arrived.
    /// </summary>
    public static RunResult Run(VmSpec spec, int repetitions, ulong seed, int maxParallelism = 0, Func<int, Action<Packet, long>>? frameObserver = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repetitions);
        var results = new RepetitionResult[repetitions];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount };
        Parallel.For(0, repetitions, options, i => results[i] = RunOne(spec, RepetitionSeed(seed, i), frameObserver?.Invoke(i)));
        return RunResult.Merge(seed, results);
    }

    /// <summary>The seed of repetition <paramref name="index"/>: a function of the run seed and the index only.</summary>
    public static ulong RepetitionSeed(ulong seed, int index) => RandomStreams.DeriveSeed(seed, $"repetition/{index}");

    /// <summary>Runs one repetition with seed <paramref name="seed"/>.</summary>
    /// <param name="spec">The system and its traffic.</param>
    /// <param name="seed">The repetition's seed.</param>
    /// <param name="frameObserver">Observer of the measured frames as they come back, with the time their last bit arrived.</param>
    /// <param name="stopAtFirstLoss">
    /// End the run as soon as a measured frame is reported dropped (an RFC 2544 trial that
    /// has already failed); the result then covers the traffic up to that moment. Losses in
    /// the warm-up do not stop it.
    /// </param>
    /// <param name="stopWhen">
    /// Also end the run after an event when this holds (checked after every event once the
    /// tester has started): a trial that has already failed for another reason, such as a
    /// frame that broke a latency bound.
    /// </param>
    /// <param name="inspect">Called with the testbed after the run, before the result is built (to read a model's counters).</param>
    public static RepetitionResult RunOne(
        VmSpec spec, ulong seed, Action<Packet, long>? frameObserver = null, bool stopAtFirstLoss = false, Func<bool>? stopWhen = null, Action<ITestbed>? inspect = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var sim = new Simulator(seed);
        TesterOptions tester = spec.Tester;
        double framesPerSecond = Ethernet.FrameRatePps(tester.OfferedL1RateBps, tester.FrameBytes);
        long expectedFrames = (long)(framesPerSecond * tester.DurationNs / SimTime.NsPerS);
        var analyzer = new PacketAnalyzer(SettleNs + tester.WarmupNs, (int)Math.Min(100_000, (expectedFrames / 1000) + 1));
        long measureFromNs = SettleNs + tester.WarmupNs;
        ITestbed topology = Testbed.Build(sim, spec, packet =>
        {
            analyzer.OnFrameBack(packet, sim.NowNs);
            if (frameObserver is not null && packet.At(Probe.TesterSend) >= measureFromNs)
            {
                frameObserver(packet, sim.NowNs);
            }
        });
        sim.Run(untilNs: SettleNs);
        topology.Tester.Start();
        Tester t = topology.Tester;
        t.StopAtFirstLoss = stopAtFirstLoss;
        sim.Run(untilNs: t.EndNs + DrainNs, stopWhen: stopWhen);
        inspect?.Invoke(topology);
        return new RepetitionResult(
            seed,
            topology.Tester.Result(),
            analyzer.Stages,
            analyzer.StageCausesAbove1ms,
            analyzer.Slowest.ToList(),
            analyzer.ExcursionEpisodes,
            tester.DurationNs,
            sim.FiredCount);
    }
}
