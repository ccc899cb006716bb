using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Explaining;

/// <summary>A frame of a run: repetition, id, and when it left and came back (simulated ns).</summary>
public readonly record struct FrameRef(int Repetition, long Id, long SentNs, long ReceivedNs)
{
    /// <summary>Round trip (or one-way delay).</summary>
    public long RttNs => ReceivedNs - SentNs;
}

/// <summary>A context that held a CPU while a frame waited: what it was and how much it ran in the wait.</summary>
/// <param name="Name">Thread name (comm) or interrupt context, e.g. "kworker/0:1", "hardIRQ timer".</param>
/// <param name="Class">"hardIRQ", "softIRQ", "RT" or "CFS".</param>
/// <param name="Processor">The CPU it ran on, e.g. "guest/vcpu0".</param>
/// <param name="RunNs">Its running time inside the wait.</param>
/// <param name="Slices">How many separate running segments that was.</param>
public sealed record Competitor(string Name, string Class, string Processor, long RunNs, int Slices);

/// <summary>One cause of waiting in one stage of a frame's journey, with what the model recorded about it.</summary>
/// <param name="Cause">The mechanism.</param>
/// <param name="DelayNs">Time charged to it in the stage.</param>
/// <param name="Processor">The CPU whose consumer the frame waited for, or null (NIC, wire).</param>
/// <param name="Consumer">The thread that was to take the frame, or null (a softIRQ poller, the NIC).</param>
/// <param name="FromNs">Start of the interval the waits lay in.</param>
/// <param name="ToNs">Its end.</param>
/// <param name="Competitors">What ran on the blocking CPU during the interval, most first.</param>
/// <param name="Sentence">The explanation in plain words.</param>
public sealed record StageWait(WaitCause Cause, long DelayNs, string? Processor, string? Consumer, long FromNs, long ToNs, IReadOnlyList<Competitor> Competitors, string Sentence);

/// <summary>One stage of a frame's path: between two consecutive probes it passed.</summary>
/// <param name="Name">"rxh1-rxg0" etc.</param>
/// <param name="From">The probe that starts it.</param>
/// <param name="To">The probe that ends it.</param>
/// <param name="StartNs">When the frame passed <paramref name="From"/>.</param>
/// <param name="EndNs">When it passed <paramref name="To"/>.</param>
/// <param name="Waits">Waits charged in the stage, largest first.</param>
public sealed record StageJourney(string Name, Probe From, Probe To, long StartNs, long EndNs, IReadOnlyList<StageWait> Waits)
{
    /// <summary>Time in the stage.</summary>
    public long DurationNs => EndNs - StartNs;

    /// <summary>Time charged to waits.</summary>
    public long WaitedNs => Waits.Sum(w => w.DelayNs);

    /// <summary>The rest: processing at nominal cost, serialization, propagation.</summary>
    public long OtherNs => DurationNs - WaitedNs;
}

/// <summary>A frame's journey stage by stage, explained.</summary>
/// <param name="Frame">Which frame.</param>
/// <param name="Probes">Probes in path order, with the CPU that took the frame there.</param>
/// <param name="Stages">Stages in path order; their durations add up to the round trip.</param>
public sealed record PacketJourney(FrameRef Frame, IReadOnlyList<ProbePass> Probes, IReadOnlyList<StageJourney> Stages)
{
    /// <summary>Waits by cause over the whole journey.</summary>
    public IReadOnlyDictionary<WaitCause, long> WaitsByCause =>
        Stages.SelectMany(s => s.Waits).GroupBy(w => w.Cause).ToDictionary(g => g.Key, g => g.Sum(w => w.DelayNs));
}

/// <summary>A cause's share of the explained frames' total time.</summary>
/// <param name="Cause">The mechanism, or null for time not spent waiting (processing, serialization, wire).</param>
/// <param name="DelayNs">Time over all explained frames.</param>
/// <param name="Share">Fraction of their summed round trips.</param>
public readonly record struct CauseShare(WaitCause? Cause, long DelayNs, double Share);

/// <summary>The explanation of a run's chosen frames.</summary>
/// <param name="Journeys">One per frame, slowest first.</param>
/// <param name="Shares">Shares of the frames' summed round trips by cause, largest first.</param>
/// <param name="Competitors">Contexts that held a blocking CPU during the frames' waits, summed over frames, most first.</param>
/// <param name="Timelines">The recorded timeline of each repetition the frames came from.</param>
public sealed record Explanation(
    IReadOnlyList<PacketJourney> Journeys,
    IReadOnlyList<CauseShare> Shares,
    IReadOnlyList<Competitor> Competitors,
    IReadOnlyDictionary<int, TimelineRecorder> Timelines);
