using System.Collections.Concurrent;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kbp.Sim.Models.Experiments;

namespace Kbp.Sim.Tests.Experiments;

/// <summary>The capacity search on synthetic pass/fail functions, without the simulator.</summary>
public class CapacitySearchProperties
{
    /// <summary>A candidate count, a true threshold (-1: nothing passes; count - 1: everything does) and an estimate bracket, right or wrong.</summary>
    private static Gen<(int Count, int Threshold, int ExpectPass, int ExpectFail)> Cases() =>
        from count in Gen.Choose(1, 3000)
        from threshold in Gen.Choose(-1, count - 1)
        from pass in Gen.Choose(-5, count + 5)
        from width in Gen.Choose(0, 40)
        select (count, threshold, pass, pass + 1 + width);

    [Property(MaxTest = 500)]
    public Property With_a_monotone_system_the_answer_is_the_threshold_whatever_the_estimate()
    {
        return Prop.ForAll(Cases().ToArbitrary(), c =>
        {
            (int count, int threshold, int expectPass, int expectFail) = c;
            CapacitySearchResult r = CapacitySearch.Run(count, expectPass, expectFail, i => i <= threshold);
            bool exact = r.Answer == threshold && r.FirstFailing == threshold + 1;
            bool inRange = r.Probes.All(p => p.Index >= 0 && p.Index < count);
            bool noRepeat = r.Probes.Select(p => p.Index).Distinct().Count() == r.Probes.Count;

            // Galloping and bisection: logarithmic in the estimate's error, plus the two bracket probes.
            int error = Math.Abs(threshold - Math.Clamp(expectPass, 0, count - 1)) + Math.Abs(threshold - expectFail) + 2;
            bool bounded = r.Probes.Count <= 4 + (3 * (int)Math.Ceiling(Math.Log2(error)));
            return (exact && inRange && noRepeat && bounded).Label($"{c}: answer {r.Answer}, first failing {r.FirstFailing}, {r.Probes.Count} probes");
        });
    }

    [Fact]
    public void A_right_estimate_needs_two_trials()
    {
        CapacitySearchResult r = CapacitySearch.Run(1000, expectPass: 600, expectFail: 601, i => i <= 600);
        Assert.Equal(600, r.Answer);
        Assert.Equal([new CapacityProbe(600, true), new CapacityProbe(601, false)], r.Probes);
    }

    [Property(MaxTest = 300)]
    public bool Whatever_the_system_the_answer_passed_and_the_next_candidate_failed(PositiveInt count, int seed, byte percentPassing, int pass, byte width)
    {
        // Not monotone: each candidate passes or fails at random, the same way every time.
        int n = Math.Min(count.Get, 5000);
        bool Trial(int i) => new Random(HashCode.Combine(seed, i)).Next(256) < percentPassing;
        CapacitySearchResult r = CapacitySearch.Run(n, pass % (n + 2), (pass % (n + 2)) + 1 + width, Trial);
        bool answerPassed = r.Answer == -1 || (Trial(r.Answer) && r.Probes.Contains(new CapacityProbe(r.Answer, true)));
        bool nextFailed = r.FirstFailing == n || (!Trial(r.FirstFailing) && r.Probes.Contains(new CapacityProbe(r.FirstFailing, false)));
        return answerPassed && nextFailed && r.FirstFailing == r.Answer + 1;
    }

    [Property(MaxTest = 300)]
    public Property A_tighter_objective_never_yields_a_higher_capacity()
    {
        // Any system, monotone or not: a trial outcome per candidate (a delay, or lost), judged
        // by a loose and a tight bound. Every candidate that passes the tight bound passes the
        // loose one; the search's answer keeps that order even where the system is not monotone.
        Gen<(int Count, int Seed, int Pass, int Width, int Tight, int Loose)> cases =
            from count in Gen.Choose(1, 2000)
            from seed in Gen.Choose(0, int.MaxValue)
            from pass in Gen.Choose(0, count)
            from width in Gen.Choose(0, 30)
            from a in Gen.Choose(0, 1000)
            from b in Gen.Choose(0, 1000)
            select (count, seed, pass, width, Math.Min(a, b), Math.Max(a, b));
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            int Delay(int i) => new Random(HashCode.Combine(c.Seed, i)).Next(1200); // above 1000: lost
            bool Meets(int i, int bound) => Delay(i) <= 1000 && Delay(i) < bound;
            CapacitySearchResult tight = CapacitySearch.Run(c.Count, c.Pass, c.Pass + 1 + c.Width, i => Meets(i, c.Tight));
            CapacitySearchResult loose = CapacitySearch.Run(c.Count, c.Pass, c.Pass + 1 + c.Width, i => Meets(i, c.Loose));
            return (tight.Answer <= loose.Answer).Label($"tight {tight.Answer} > loose {loose.Answer}");
        });
    }

    [Property(MaxTest = 200)]
    public bool The_answer_and_the_trials_it_rests_on_do_not_depend_on_how_many_run_at_once(PositiveInt count, int seed, byte percentPassing, int pass, byte width)
    {
        int n = Math.Min(count.Get, 3000);
        var calls = new ConcurrentBag<int>();
        bool Trial(int i)
        {
            calls.Add(i);
            return new Random(HashCode.Combine(seed, i)).Next(256) < percentPassing;
        }

        int start = Math.Abs(pass % (n + 1));
        CapacitySearchResult one = CapacitySearch.Run(n, start, start + 1 + (width % 16), Trial);
        foreach (int w in new[] { 2, 3, 8 })
        {
            CapacitySearchResult many = CapacitySearch.Run(n, start, start + 1 + (width % 16), Trial, () => w);
            if (many.Answer != one.Answer || many.FirstFailing != one.FirstFailing || !many.Probes.SequenceEqual(one.Probes))
            {
                return false;
            }
        }

        return one.Speculative == 0;
    }
}
