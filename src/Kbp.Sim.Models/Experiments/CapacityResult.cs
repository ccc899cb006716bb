namespace Kbp.Sim.Models.Experiments;

/// <summary>Which question a capacity run answered.</summary>
public enum CapacityQuestion
{
    /// <summary>At a fixed rate, the smallest frame size that meets the objective.</summary>
    FrameSizeLimit,

    /// <summary>At a fixed frame size, the highest rate that meets the objective.</summary>
    MaxRate,

    /// <summary>Every point of a grid of frame sizes and rates: pass or fail.</summary>
    Grid,
}

/// <summary>The analytic first estimate of one answer, a range when a kick share is uncertain.</summary>
/// <param name="Optimistic">The answer with no kick paid (the busiest CPU's work only): the smallest frame size or the highest rate.</param>
/// <param name="Conservative">The answer with the most kicks the application can pay (equal to <paramref name="Optimistic"/> when no stage pays a kick).</param>
/// <param name="OtherLayerOptimistic">For a frame-size limit, <paramref name="Optimistic"/> if the rate were counted at the other layer (L1 instead of L2 or back); for a rate, the optimistic rate counted at the other layer.</param>
/// <param name="OtherLayerConservative">Likewise for <paramref name="Conservative"/>.</param>
/// <param name="Bottleneck">The stage (or "NIC line") that sets it, with its CPU.</param>
/// <param name="NsPerFrame">The bottleneck's time per frame: optimistic and conservative.</param>
/// <param name="GridOptimistic">The candidate of the search grid the optimistic estimate falls on (null when none).</param>
/// <param name="GridConservative">The candidate of the search grid the conservative estimate falls on (null when none).</param>
public sealed record AnalyticEstimate(
    double Optimistic,
    double Conservative,
    double OtherLayerOptimistic,
    double OtherLayerConservative,
    string Bottleneck,
    (double Optimistic, double Conservative) NsPerFrame,
    double? GridOptimistic,
    double? GridConservative);

/// <summary>One search's answer: a frame-size limit at a rate, or a maximum rate at a frame size.</summary>
/// <param name="FixedFrameBytes">The frame size held fixed (max-rate searches), or 0.</param>
/// <param name="FixedRateBps">The rate held fixed (frame-size searches), or 0; counted at the layer of <paramref name="RateIsL1"/>.</param>
/// <param name="RateIsL1">True when rates count preamble, SFD and IFG.</param>
/// <param name="Analytic">The analytic estimate.</param>
/// <param name="Answer">The simulated answer: the smallest frame size (bytes) or the highest rate (bit/s) that met the objective; null when no candidate did.</param>
/// <param name="Failing">The next candidate beyond the answer, which failed; null when the hardest candidate passed.</param>
/// <param name="StepsFromAnalytic">How many search steps the answer lies outside the analytic range (0 inside it); null when either is missing.</param>
/// <param name="AtAnswer">The passing trial at the answer.</param>
/// <param name="Boundary">A full-length trial (no early stop) at <paramref name="Failing"/>: what breaks just beyond the answer.</param>
/// <param name="Trials">The trials the answer rests on, in search order.</param>
/// <param name="Speculative">Trials run ahead in parallel and not needed.</param>
public sealed record CapacityAnswer(
    int FixedFrameBytes,
    long FixedRateBps,
    bool RateIsL1,
    AnalyticEstimate Analytic,
    double? Answer,
    double? Failing,
    int? StepsFromAnalytic,
    CapacityTrialOutcome? AtAnswer,
    CapacityTrialOutcome? Boundary,
    IReadOnlyList<CapacityTrialOutcome> Trials,
    int Speculative);

/// <summary>A grid of trials: one per frame size and rate.</summary>
/// <param name="FrameSizes">Frame sizes, ascending.</param>
/// <param name="RatesBps">Rates, ascending, counted at the layer of <paramref name="RateIsL1"/>.</param>
/// <param name="RateIsL1">True when rates count preamble, SFD and IFG.</param>
/// <param name="Cells">Cells[size index][rate index].</param>
/// <param name="AnalyticMaxRateBps">Per frame size, the analytic highest rate: optimistic and conservative.</param>
public sealed record CapacityGrid(
    IReadOnlyList<int> FrameSizes,
    IReadOnlyList<long> RatesBps,
    bool RateIsL1,
    IReadOnlyList<IReadOnlyList<CapacityTrialOutcome>> Cells,
    IReadOnlyList<(double Optimistic, double Conservative)> AnalyticMaxRateBps)
{
    /// <summary>
    /// Per frame size, the index of the highest rate up to which every rate passed (-1 when
    /// the lowest failed): the boundary of the map.
    /// </summary>
    public IReadOnlyList<int> BoundaryRateIndex => Cells.Select(row =>
    {
        int i = -1;
        while (i + 1 < row.Count && row[i + 1].Passed)
        {
            i++;
        }

        return i;
    }).ToList();

    /// <summary>Frame sizes whose column passes at some rate above one that failed (the system is not monotone there).</summary>
    public IReadOnlyList<int> NotMonotone => FrameSizes
        .Where((_, s) => Cells[s].Skip(BoundaryRateIndex[s] + 1).Any(c => c.Passed))
        .ToList();
}

/// <summary>A capacity run: the question, the analytic table and the answers.</summary>
/// <param name="Scenario">The scenario's name.</param>
/// <param name="Question">What was asked.</param>
/// <param name="Slo">The objective.</param>
/// <param name="Seed">The run seed.</param>
/// <param name="TrialNs">The measured duration of a trial.</param>
/// <param name="StepBytes">The frame-size search step.</param>
/// <param name="Resolution">The rate search's relative step.</param>
/// <param name="Budget">The analytic stage table.</param>
/// <param name="Answers">One per fixed rate (frame-size limits) or per fixed frame size (maximum rates).</param>
/// <param name="Grid">The grid, for <see cref="CapacityQuestion.Grid"/>.</param>
public sealed record CapacityResult(
    string Scenario,
    CapacityQuestion Question,
    Slo Slo,
    ulong Seed,
    long TrialNs,
    int StepBytes,
    double Resolution,
    StageBudget Budget,
    IReadOnlyList<CapacityAnswer> Answers,
    CapacityGrid? Grid)
{
    /// <summary>Every trial run, boundary trials included (not the speculative ones that were not needed).</summary>
    public IEnumerable<CapacityTrialOutcome> AllTrials =>
        Answers.SelectMany(a => a.Boundary is null ? a.Trials : a.Trials.Append(a.Boundary))
            .Concat(Grid?.Cells.SelectMany(row => row) ?? []);

    /// <summary>Events fired by the trials in <see cref="AllTrials"/>.</summary>
    public long Events => AllTrials.Sum(t => t.Events);
}
