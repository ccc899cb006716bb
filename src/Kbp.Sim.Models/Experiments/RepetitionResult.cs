using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Statistics;

namespace Kbp.Sim.Models.Experiments;

/// <summary>What one repetition of a latency run measured.</summary>
/// <param name="Seed">The repetition's seed.</param>
/// <param name="Tester">The tester's counts and round trips.</param>
/// <param name="Stages">Per-stage delays, in path order.</param>
/// <param name="StageCausesAbove1ms">Per stage, counts of above-1 ms delays by their largest wait's cause.</param>
/// <param name="Slowest">The slowest frames with their causes.</param>
/// <param name="ExcursionEpisodes">Episodes of round trips above 1 ms.</param>
/// <param name="MeasuredNs">Simulated time measured (the tester's duration).</param>
/// <param name="Events">Events the simulator fired.</param>
public sealed record RepetitionResult(
    ulong Seed,
    TesterResult Tester,
    IReadOnlyList<LatencyRecorder> Stages,
    IReadOnlyList<long[]> StageCausesAbove1ms,
    IReadOnlyList<SlowFrame> Slowest,
    long ExcursionEpisodes,
    long MeasuredNs,
    long Events);
