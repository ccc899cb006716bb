namespace Kbp.Sim.Models.Experiments;

/// <summary>One probe of a capacity search: the candidate's index and whether its trial met the objective.</summary>
/// <param name="Index">The candidate, 0 the easiest.</param>
/// <param name="Passed">True when the trial met the objective.</param>
public readonly record struct CapacityProbe(int Index, bool Passed);

/// <summary>What a capacity search found.</summary>
/// <param name="Answer">The hardest candidate found to pass, -1 when none did (the easiest failed).</param>
/// <param name="FirstFailing">The easiest candidate found to fail beyond the answer, or the candidate count when the hardest passed.</param>
/// <param name="Probes">The trials the answer rests on, in the order the search used them.</param>
/// <param name="Speculative">Trials run ahead in parallel that the search then did not need.</param>
public sealed record CapacitySearchResult(int Answer, int FirstFailing, IReadOnlyList<CapacityProbe> Probes, int Speculative);

/// <summary>
/// The search behind <c>kbp-sim capacity</c>, pure: candidates ordered from the easiest (index
/// 0: the largest frame size, or the lowest rate) to the hardest, a pass/fail trial per
/// candidate, and an analytic bracket to start from; the hardest candidate that passes comes out.
/// </summary>
/// <remarks>
/// <para>
/// The search tries the candidate the estimate expects to pass, then the one it expects to
/// fail. When the estimate is wrong it gallops, with steps doubling, until a pass and a
/// failure bracket the boundary; then it bisects until they are adjacent. It keeps a passing
/// index <c>lo</c> (-1 at first: nothing is known to pass) and a failing one <c>hi</c> (the
/// candidate count at first), and every probe lies strictly between them: after a pass at p
/// every later probe is above p and the answer is at least p; after a failure at p every
/// later probe is below p and the answer is below p. Two consequences follow whatever the
/// trials do. The answer is a candidate that passed (or -1) next to one that failed (or the
/// end), and with a monotone system (pass iff index ≤ T) it is exactly T. And if every
/// candidate that passes one objective passes another (a tighter and a looser one), the
/// tighter objective's answer is never above the looser one's: at the first probe where the
/// two runs differ the looser passed and the tighter failed, so the looser answer is at least
/// that probe and the tighter one below it.
/// </para>
/// <para>
/// Parallel: with <c>width</c> &gt; 1 the search runs, at each round, the next probe and the
/// probes it would make after either outcome, breadth first, <c>width</c> at a time; then it
/// follows the actual outcomes. The probes it follows are those of the sequential search, so
/// the answer does not depend on the width (only the wall time and the wasted trials do).
/// </para>
/// </remarks>
public static class CapacitySearch
{
    /// <summary>Runs the search.</summary>
    /// <param name="count">The number of candidates (at least 1).</param>
    /// <param name="expectPass">The candidate the estimate expects to pass (clamped to the candidates).</param>
    /// <param name="expectFail">The candidate the estimate expects to fail, above <paramref name="expectPass"/>; the count when it expects every candidate to pass.</param>
    /// <param name="trial">Whether a candidate passes; called from several threads when <paramref name="width"/> &gt; 1, and perhaps for candidates the answer does not need.</param>
    /// <param name="width">Trials run at once, speculatively; 1 for the plain sequential search.</param>
    /// <returns>The answer and the probes it rests on.</returns>
    public static CapacitySearchResult Run(int count, int expectPass, int expectFail, Func<int, bool> trial, Func<int>? width = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentNullException.ThrowIfNull(trial);
        var state = State.Start(count, expectPass, expectFail);
        var known = new Dictionary<int, bool>();
        var path = new List<CapacityProbe>();
        int ran = 0;
        while (state.NextProbe() is int probe)
        {
            if (!known.TryGetValue(probe, out bool passed))
            {
                int[] batch = Speculate(state, known, Math.Max(1, width?.Invoke() ?? 1));
                var outcomes = new bool[batch.Length];
                if (batch.Length == 1)
                {
                    outcomes[0] = trial(batch[0]);
                }
                else
                {
                    Parallel.For(0, batch.Length, new ParallelOptions { MaxDegreeOfParallelism = batch.Length }, i => outcomes[i] = trial(batch[i]));
                }

                for (int i = 0; i < batch.Length; i++)
                {
                    known[batch[i]] = outcomes[i];
                }

                ran += batch.Length;
                passed = known[probe];
            }

            path.Add(new CapacityProbe(probe, passed));
            state = state.After(probe, passed);
        }

        return new CapacitySearchResult(state.Lo, state.Hi, path, ran - path.Count);
    }

    /// <summary>The next <paramref name="width"/> unknown probes of the decision tree from <paramref name="state"/>, breadth first (the next probe first).</summary>
    private static int[] Speculate(State state, Dictionary<int, bool> known, int width)
    {
        var probes = new List<int>(width);
        var frontier = new Queue<State>();
        frontier.Enqueue(state);
        int visited = 0;
        while (frontier.Count > 0 && probes.Count < width && visited < 4 * width)
        {
            visited++;
            State s = frontier.Dequeue();
            if (s.NextProbe() is not int p)
            {
                continue;
            }

            if (known.TryGetValue(p, out bool outcome))
            {
                frontier.Enqueue(s.After(p, outcome));
                continue;
            }

            if (!probes.Contains(p))
            {
                probes.Add(p);
            }

            frontier.Enqueue(s.After(p, passed: false));
            frontier.Enqueue(s.After(p, passed: true));
        }

        return [.. probes];
    }

    private enum Phase
    {
        /// <summary>Try the candidate expected to pass.</summary>
        Start,

        /// <summary>A pass at lo: try harder candidates, the step doubling.</summary>
        Up,

        /// <summary>A failure at hi: try easier candidates, the step doubling.</summary>
        Down,

        /// <summary>lo passed, hi failed: halve the gap.</summary>
        Bisect,
    }

    /// <summary>The search's state: a decision tree node. Immutable, so speculation can branch from it.</summary>
    private readonly record struct State(int Count, int Lo, int Hi, Phase Phase, int Step, int First)
    {
        public static State Start(int count, int expectPass, int expectFail)
        {
            int pass = Math.Clamp(expectPass, 0, count - 1);
            int fail = Math.Max(expectFail, pass + 1);
            return new State(count, -1, count, Phase.Start, fail - pass, pass);
        }

        public int? NextProbe()
        {
            switch (Phase)
            {
                case Phase.Start:
                    return First;
                case Phase.Up:
                    return Lo >= Count - 1 ? null : Math.Min(Lo + Step, Count - 1);
                case Phase.Down:
                    return Hi <= 0 ? null : Math.Max(Hi - Step, 0);
                default:
                    return Hi - Lo <= 1 ? null : Lo + ((Hi - Lo) / 2);
            }
        }

        public State After(int probe, bool passed)
        {
            switch (Phase)
            {
                case Phase.Start:
                    // Up: jump to the candidate expected to fail; Down: one step at a time, doubling.
                    return passed ? this with { Lo = probe, Phase = Phase.Up } : this with { Hi = probe, Phase = Phase.Down, Step = 1 };
                case Phase.Up:
                    return passed ? this with { Lo = probe, Step = Step * 2 } : this with { Hi = probe, Phase = Phase.Bisect };
                case Phase.Down:
                    return passed ? this with { Lo = probe, Phase = Phase.Bisect } : this with { Hi = probe, Step = Step * 2 };
                default:
                    return passed ? this with { Lo = probe } : this with { Hi = probe };
            }
        }
    }
}
