using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Models.Experiments;

/// <summary>What one trial at one offered rate measured.</summary>
/// <param name="RateBps">The offered rate, L1 bits per second on the wire.</param>
/// <param name="Passed">True when every measured frame came back: none lost, none still in flight after the drain.</param>
/// <param name="StoppedEarly">True when the trial ended at its first lost frame instead of running its full length.</param>
/// <param name="Offered">Measured frames the pattern generated (up to the stop).</param>
/// <param name="Sent">Measured frames that left the tester.</param>
/// <param name="Received">Measured frames that came back.</param>
/// <param name="Lost">Measured frames dropped.</param>
/// <param name="InFlight">Measured frames neither back nor dropped when the trial ended.</param>
/// <param name="LostByReason">Measured losses by <see cref="DropReason"/>, indexed by its value.</param>
/// <param name="Events">Events the simulator fired.</param>
public sealed record TrialOutcome(
    long RateBps,
    bool Passed,
    bool StoppedEarly,
    long Offered,
    long Sent,
    long Received,
    long Lost,
    long InFlight,
    IReadOnlyList<long> LostByReason,
    long Events)
{
    /// <summary>Measured frames lost at <paramref name="reason"/>.</summary>
    public long LostAt(DropReason reason) => LostByReason[(int)reason];
}

/// <summary>
/// One RFC 2544 trial (section 23): offer frames at a fixed rate for the trial duration and
/// count what comes back. It is a full latency repetition (<see cref="LatencyRun.RunOne"/>):
/// the system settles, the tester's warm-up is sent unmeasured, then the trial's measured
/// traffic, then the drain for frames in flight. A trial passes when no measured frame is
/// lost or still in flight; a failing one can stop at its first lost frame, since nothing
/// later can make it pass.
/// </summary>
public static class ThroughputTrial
{
    /// <summary>Runs a trial of <paramref name="spec"/> at <paramref name="rateBps"/> (L1), with the spec's frame size, duration and warm-up.</summary>
    /// <param name="spec">The system and its traffic; the offered rate is replaced.</param>
    /// <param name="rateBps">The offered L1 rate, whole bits per second, at most the tester's line rate.</param>
    /// <param name="seed">The trial's seed.</param>
    /// <param name="stopAtFirstLoss">End the trial at its first lost measured frame.</param>
    /// <returns>The trial's counts.</returns>
    public static TrialOutcome Run(VmSpec spec, long rateBps, ulong seed, bool stopAtFirstLoss)
    {
        ArgumentNullException.ThrowIfNull(spec);
        VmSpec at = spec with { Tester = spec.Tester with { RateBps = rateBps, RateIsL1 = true } };
        RepetitionResult r = LatencyRun.RunOne(at, seed, stopAtFirstLoss: stopAtFirstLoss);
        TesterResult t = r.Tester;
        bool passed = t.Lost == 0 && t.InFlight == 0 && t.Sent == t.Offered;
        return new TrialOutcome(
            rateBps,
            passed,
            stopAtFirstLoss && t.Lost > 0,
            t.Offered,
            t.Sent,
            t.Received,
            t.Lost,
            t.InFlight,
            t.LostByReason,
            r.Events);
    }
}
