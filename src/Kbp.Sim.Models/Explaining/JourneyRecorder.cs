using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Explaining;

/// <summary>A probe a frame passed, and the CPU whose work took it there (null off-CPU: wire, NIC).</summary>
public readonly record struct ProbePass(Probe Probe, long AtNs, string? Processor);

/// <summary>
/// One charge of waiting as a model made it: the cause, the amount (negative when it was
/// re-charged to another cause), the CPU whose consumer the frame waited for, that consumer,
/// and the interval the wait lay in.
/// </summary>
public readonly record struct WaitRecord(Probe Stage, WaitCause Cause, long DelayNs, string? Processor, string? Consumer, long FromNs, long ToNs);

/// <summary>What a watched frame went through: its probes and every wait charged to it.</summary>
public sealed class FrameLog
{
    internal FrameLog(Packet packet) => Packet = packet;

    /// <summary>The frame.</summary>
    public Packet Packet { get; }

    /// <summary>Probes in the order passed.</summary>
    public List<ProbePass> Probes { get; } = new();

    /// <summary>Waits in the order charged.</summary>
    public List<WaitRecord> Waits { get; } = new();

    /// <summary>When its last bit came back to the tester, or -1.</summary>
    public long ReceivedNs { get; internal set; } = -1;
}

/// <summary>
/// Watches chosen frames (<see cref="IPacketObserver"/>): as the tester creates a frame it
/// asks <see cref="Watch"/>; a watched frame's probes and waits are logged with the CPU
/// and interval the models name. Nothing else is touched, so the run is the same run.
/// </summary>
public sealed class JourneyRecorder : IPacketObserver
{
    private readonly Simulator _sim;
    private readonly Func<Packet, bool> _watch;
    private readonly Dictionary<long, FrameLog> _logs = new();
    private string? _processor;
    private string? _consumer;
    private long _fromNs = -1;

    /// <summary>Creates a recorder watching the frames <paramref name="watch"/> picks when they are sent.</summary>
    public JourneyRecorder(Simulator sim, Func<Packet, bool> watch)
    {
        _sim = sim;
        _watch = watch;
    }

    /// <summary>The logs of the watched frames, by frame id.</summary>
    public IReadOnlyDictionary<long, FrameLog> Logs => _logs;

    /// <summary>Attach to the tester's <c>Sending</c> hook.</summary>
    public void Watch(Packet packet)
    {
        if (_watch(packet))
        {
            packet.Observer = this;
            var log = new FrameLog(packet);
            log.Probes.Add(new ProbePass(Probe.TesterSend, packet.At(Probe.TesterSend), null));
            _logs[packet.Id] = log;
        }
    }

    /// <summary>A watched frame came back at <paramref name="nowNs"/>.</summary>
    public void OnBack(Packet packet, long nowNs)
    {
        if (_logs.TryGetValue(packet.Id, out FrameLog? log))
        {
            log.ReceivedNs = nowNs;
        }
    }

    /// <inheritdoc/>
    public void OnStamp(Packet packet, Probe probe, long nowNs) =>
        _logs[packet.Id].Probes.Add(new ProbePass(probe, nowNs, _sim.TraceScope));

    /// <inheritdoc/>
    public void OnCharging(Packet packet, string processor, string? consumer, long fromNs)
    {
        _processor = processor;
        _consumer = consumer;
        _fromNs = fromNs;
    }

    /// <inheritdoc/>
    public void OnCharged(Packet packet)
    {
        _processor = null;
        _consumer = null;
        _fromNs = -1;
    }

    /// <inheritdoc/>
    public void OnWait(Packet packet, Probe stage, WaitCause cause, long delayNs)
    {
        if (delayNs > 0)
        {
            long now = _sim.NowNs;
            _logs[packet.Id].Waits.Add(new WaitRecord(stage, cause, delayNs, _processor, _consumer, _fromNs >= 0 ? _fromNs : now - delayNs, now));
        }
    }

    /// <inheritdoc/>
    public void OnMove(Packet packet, Probe stage, WaitCause from, WaitCause to, long delayNs)
    {
        long now = _sim.NowNs;
        long start = _fromNs >= 0 ? _fromNs : now - delayNs;
        List<WaitRecord> waits = _logs[packet.Id].Waits;
        waits.Add(new WaitRecord(stage, from, -delayNs, null, null, start, now));
        waits.Add(new WaitRecord(stage, to, delayNs, _processor, _consumer, start, now));
    }
}
