using Kbp.Sim.Models.Kernel;

namespace Kbp.Sim.Cli.Output;

/// <summary>One side of <c>kbp-sim calibrate</c>'s comparison: the module's file, or the model's guest or host KBP threads.</summary>
/// <param name="Name">The column heading: module, guest, host.</param>
/// <param name="LoadLine">The KBP parameters in effect, as a module load line (empty when the file has no params line).</param>
/// <param name="Threads">The threads' counters, by CPU.</param>
internal sealed record CalibrationSide(string Name, string LoadLine, IReadOnlyList<KbpThreadStats> Threads)
{
    /// <summary>All threads together.</summary>
    public KbpCounters Total { get; } = KbpCounters.Sum(Threads.Select(t => t.Counters));
}

/// <summary>Everything <c>kbp-sim calibrate</c> prints and writes.</summary>
/// <param name="StatsFile">The module statistics file as given.</param>
/// <param name="Stats">What was read from it.</param>
/// <param name="ScenarioName">The model's scenario.</param>
/// <param name="DurationNs">The model's traffic duration.</param>
/// <param name="Seed">The model's run seed.</param>
/// <param name="ParamsApplied">True when the file's parameters replaced the scenario's for the guest threads.</param>
/// <param name="Sides">The module, then the model's guest, then its host.</param>
internal sealed record CalibrationReport(
    string StatsFile,
    KbpModuleStats Stats,
    string ScenarioName,
    long DurationNs,
    ulong Seed,
    bool ParamsApplied,
    IReadOnlyList<CalibrationSide> Sides)
{
    /// <summary>What the module's figures can and cannot say.</summary>
    public const string Note =
        "the module's statistics come from an emulated guest (QEMU TCG in the module's test): they say nothing about " +
        "real-time figures (schedule-to-poll times, idle loops); compare shapes: batch sizes, empty-poll and requeue ratios";
}
