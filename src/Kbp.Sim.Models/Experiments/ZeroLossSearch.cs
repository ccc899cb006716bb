namespace Kbp.Sim.Models.Experiments;

/// <summary>One trial of a throughput search: the offered rate and whether nothing was lost.</summary>
/// <param name="RateBps">The offered rate (L1, bits per second on the wire).</param>
/// <param name="Passed">True when the trial lost no frame.</param>
public readonly record struct SearchTrial(long RateBps, bool Passed);

/// <summary>What a throughput search found.</summary>
/// <param name="ZeroLossRateBps">The highest rate that passed; 0 when none did.</param>
/// <param name="LossPointBps">The lowest rate that failed, or null when the maximum rate passed.</param>
/// <param name="Trials">Every trial, in the order run.</param>
public sealed record ZeroLossSearchResult(long ZeroLossRateBps, long? LossPointBps, IReadOnlyList<SearchTrial> Trials);

/// <summary>
/// RFC 2544 section 26.1 throughput: the highest offered rate at which a trial loses no
/// frame, found by binary search. Pure: the trial is a function of the rate, so the search
/// can be checked against any pass/fail function, and the simulator is only one of them.
/// </summary>
/// <remarks>
/// <para>
/// The first trial is at the maximum rate (the line rate); if it passes, that is the
/// answer. Otherwise the search keeps a passing rate <c>low</c> (0 to begin with: no traffic
/// loses nothing) and a failing rate <c>high</c>, tries the midpoint and moves the bound it
/// was on the side of, until <c>(high - low) / high ≤ resolution</c>. It reports
/// <c>low</c> and <c>high</c>: a reported zero-loss rate is always a rate that passed and a
/// loss point one that failed, whatever the function; when passing is monotone in the rate
/// (pass iff rate ≤ T), <c>low ≤ T &lt; high</c>, so the true threshold lies within
/// <c>resolution · high</c> above the answer.
/// </para>
/// <para>
/// Rates are whole bits per second (the tester's arithmetic is exact on integers), so the
/// search also ends when the bounds are 1 bit/s apart. Without a passing rate the relative
/// rule never holds, so it gives up when the failing bound is at or below
/// <c>floorBps</c> and reports 0.
/// </para>
/// </remarks>
public static class ZeroLossSearch
{
    /// <summary>The coarsest resolution accepted: 50 % (one halving after a failure at the maximum).</summary>
    public const double MaxResolution = 0.5;

    /// <summary>
    /// Runs the search.
    /// </summary>
    /// <param name="maxRateBps">The highest rate to try, tried first (the line rate).</param>
    /// <param name="resolution">Stop when (high - low) / high is at most this, in (0, <see cref="MaxResolution"/>].</param>
    /// <param name="floorBps">Give up, reporting 0, when every rate down to this one failed (at least 1).</param>
    /// <param name="trial">Runs a trial at a rate and says whether it passed (lost nothing).</param>
    /// <returns>The highest passing rate, the lowest failing rate and the trials.</returns>
    public static ZeroLossSearchResult Run(long maxRateBps, double resolution, long floorBps, Func<long, bool> trial)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRateBps, 1);
        if (!(resolution > 0 && resolution <= MaxResolution))
        {
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, $"the resolution must lie in (0, {MaxResolution}]");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(floorBps, 1);
        ArgumentNullException.ThrowIfNull(trial);

        var trials = new List<SearchTrial>();
        bool Try(long rateBps)
        {
            bool passed = trial(rateBps);
            trials.Add(new SearchTrial(rateBps, passed));
            return passed;
        }

        if (Try(maxRateBps))
        {
            return new ZeroLossSearchResult(maxRateBps, null, trials);
        }

        long low = 0;
        long high = maxRateBps;
        while (!IsResolved(low, high, resolution) && !(low == 0 && high <= floorBps))
        {
            long mid = low + ((high - low) / 2);
            if (Try(mid))
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return new ZeroLossSearchResult(low, high, trials);
    }

    /// <summary>True when a passing <paramref name="low"/> and a failing <paramref name="high"/> are close enough.</summary>
    public static bool IsResolved(long low, long high, double resolution) =>
        high - low <= 1 || high - low <= resolution * high;
}
