using Kbp.Sim.Models.Packets;
using Kbp.Sim.Statistics;

namespace Kbp.Sim.Models.Experiments;

/// <summary>
/// Looks at every measured frame as it returns to the tester: per-stage delays, the
/// slowest frames with their wait causes (bounded memory: the top K), and episodes of
/// round trips above 1 ms.
/// </summary>
public sealed class PacketAnalyzer
{
    /// <summary>Round trips above this start an excursion episode.</summary>
    public const long ExcursionThresholdNs = 1_000_000;

    /// <summary>A frame above the threshold within this time of the previous one belongs to the same episode.</summary>
    public const long EpisodeGapNs = 10_000_000;

    private static readonly int CauseCount = Enum.GetValues<WaitCause>().Length;
    private readonly long _measureFromNs;
    private readonly int _keepSlowest;
    private readonly PriorityQueue<SlowFrame, long> _slowest = new();

    // The path and the recorders as arrays: the per-frame loop then makes no interface calls.
    private readonly Probe[] _path = StageNames.Path.ToArray();
    private readonly LatencyRecorder[] _stages;
    private readonly long[][] _causes;
    private long _lastExcursionNs = -1;

    /// <summary>Creates an analyzer of frames sent from <paramref name="measureFromNs"/> on, keeping the <paramref name="keepSlowest"/> slowest.</summary>
    public PacketAnalyzer(long measureFromNs, int keepSlowest)
    {
        _measureFromNs = measureFromNs;
        _keepSlowest = Math.Max(1, keepSlowest);
        for (int i = 0; i + 1 < StageNames.Path.Count; i++)
        {
            Stages.Add(new LatencyRecorder(StageNames.Stage(StageNames.Path[i], StageNames.Path[i + 1])));
            StageCausesAbove1ms.Add(new long[CauseCount]);
        }

        _stages = Stages.ToArray();
        _causes = StageCausesAbove1ms.ToArray();
    }

    /// <summary>Per-stage delays, in path order.</summary>
    public List<LatencyRecorder> Stages { get; } = new();

    /// <summary>
    /// For each stage, in path order, how many of its delays above 1 ms had each cause as
    /// their largest wait (indexed by <see cref="WaitCause"/> value).
    /// </summary>
    public List<long[]> StageCausesAbove1ms { get; } = new();

    /// <summary>Episodes of round trips above 1 ms.</summary>
    public long ExcursionEpisodes { get; private set; }

    /// <summary>The slowest frames kept, unordered.</summary>
    public IEnumerable<SlowFrame> Slowest => _slowest.UnorderedItems.Select(x => x.Element);

    /// <summary>Takes a frame whose last bit reached the tester at <paramref name="nowNs"/>.</summary>
    public void OnFrameBack(Packet packet, long nowNs)
    {
        if (packet.At(Probe.TesterSend) < _measureFromNs)
        {
            return;
        }

        // Each probe is read once: a stage's end is the next stage's start.
        Probe[] path = _path;
        long a = packet.At(path[0]);
        for (int i = 0; i + 1 < path.Length; i++)
        {
            Probe to = path[i + 1];
            long b = to == Probe.TesterReceive ? nowNs : packet.At(to);
            if (a >= 0 && b >= 0)
            {
                _stages[i].Record(b - a);
                if (b - a > ExcursionThresholdNs && packet.LargestWaitCauseIn(path[i]) is { } cause)
                {
                    _causes[i][(int)cause]++;
                }
            }

            a = b;
        }

        long rttNs = nowNs - packet.At(Probe.TesterSend);
        if (rttNs > ExcursionThresholdNs)
        {
            if (_lastExcursionNs < 0 || nowNs - _lastExcursionNs > EpisodeGapNs)
            {
                ExcursionEpisodes++;
            }

            _lastExcursionNs = nowNs;
        }

        if (_slowest.Count < _keepSlowest || rttNs > _slowest.Peek().RttNs)
        {
            var waits = new long[CauseCount];
            for (int c = 0; c < CauseCount; c++)
            {
                waits[c] = packet.WaitNs((WaitCause)c);
            }

            if (_slowest.Count >= _keepSlowest)
            {
                _slowest.Dequeue();
            }

            _slowest.Enqueue(new SlowFrame(packet.Id, rttNs, waits), rttNs);
        }
    }
}

/// <summary>One of the slowest frames: its round trip and its waits by <see cref="WaitCause"/> (indexed by value).</summary>
/// <param name="Id">Frame id.</param>
/// <param name="RttNs">Round trip.</param>
/// <param name="WaitNsByCause">Waits by cause.</param>
public sealed record SlowFrame(long Id, long RttNs, IReadOnlyList<long> WaitNsByCause);
