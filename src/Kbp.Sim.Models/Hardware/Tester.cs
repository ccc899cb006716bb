using Kbp.Sim.Events;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Randomness;
using Kbp.Sim.Statistics;
using Kbp.Sim.Time;
using MathNet.Numerics.Distributions;

namespace Kbp.Sim.Models.Hardware;

/// <summary>
/// A hardware traffic generator and analyzer (Spirent TestCenter, Pktgen-DPDK): sends
/// frames numbered 0, 1, 2, … on its own line, stamps when each one's first bit went out
/// and when its last bit came back, and records the delay of every measured frame.
/// </summary>
/// <remarks>
/// <para>
/// The pattern says when each frame is ready (CBR: every frame-bits / rate; Poisson:
/// exponential gaps with that mean, drawn from the "tester" random stream; Burst:
/// <see cref="TesterOptions.BurstFrames"/> frames ready together every
/// burst · frame-bits / rate). The line sends each as soon as it is ready and the
/// previous frame and its IFG are out, so the tester never exceeds its line rate: a burst
/// goes out back to back at line rate, and Poisson gaps shorter than a wire time
/// stretch to it. Pattern times are exact integer arithmetic (Bresenham carry), so a CBR
/// stream keeps its mean rate to the nanosecond over any run length.
/// </para>
/// <para>
/// Frames whose pattern time falls in the warm-up are sent and counted apart, never
/// measured. A returning frame must be the very <see cref="Packet"/> that was sent (it
/// carries its stamps along the path). Losses are known because each drop site reports
/// them (<see cref="NotifyDropped"/>); frames neither back nor reported are in flight.
/// A frame received twice, or received after being reported dropped, is a model error
/// and throws.
/// </para>
/// </remarks>
public sealed class Tester
{
    private readonly Simulator _sim;
    private readonly TesterOptions _options;
    private readonly Action<Packet> _transmit;
    private readonly LineSerializer _line;
    private readonly RandomStream _random;
    private readonly EventCallback _onLastBit;
    private readonly long[] _lostByReason = new long[Enum.GetValues<DropReason>().Length];

    // The mean gap between frames (or bursts), gapUnits / rateBps ns, kept exact.
    private readonly long _rateBps;
    private readonly long _gapQuotientNs;
    private readonly long _gapRemainderUnits;
    private readonly double _poissonRatePerNs;
    private long _carryUnits;
    private double _poissonOffsetNs;
    private int _burstIndex;
    private long _burstStartNs;

    private long _startNs;
    private long _warmupEndNs;
    private long _endNs;
    private long _nextReadyNs;
    private bool _pendingIsWarmup;
    private long _nextId;
    private long _firstMeasuredId = long.MaxValue;

    private long _offered;
    private long _sent;
    private long _received;
    private long _lost;
    private long _warmupSent;
    private long _warmupReceived;
    private long _warmupLost;

    /// <summary>Creates an idle tester; <see cref="Start"/> begins the traffic.</summary>
    /// <param name="sim">The simulator.</param>
    /// <param name="options">The traffic.</param>
    /// <param name="transmit">Receives each frame when its last bit has left (the outgoing <see cref="Link"/>'s <see cref="Link.Send"/>).</param>
    /// <param name="name">Names the random stream and the recorder ["tester"].</param>
    public Tester(Simulator sim, TesterOptions options, Action<Packet> transmit, string name = "tester")
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(transmit);
        ArgumentException.ThrowIfNullOrEmpty(name);
        options.Validate();
        _sim = sim;
        _options = options;
        _transmit = transmit;
        _line = new LineSerializer(options.LineRateBps);
        _random = sim.Random.For(name);
        _onLastBit = OnLastBit;
        Name = name;

        long frameBits = 8L * (options.RateIsL1 ? options.FrameBytes + Ethernet.L1OverheadBytes : options.FrameBytes);
        long framesPerGap = options.Pattern == TrafficPattern.Burst ? options.BurstFrames : 1;
        long gapUnits = checked(frameBits * SimTime.NsPerS * framesPerGap);
        _rateBps = Ethernet.WholeRateBps(options.RateBps);
        _gapQuotientNs = gapUnits / _rateBps;
        _gapRemainderUnits = gapUnits % _rateBps;
        _poissonRatePerNs = (double)_rateBps / gapUnits;
        Latency = new LatencyRecorder(name + (options.Mode == TesterMode.Echo ? "/rtt" : "/one-way"));
    }

    /// <summary>The tester's name.</summary>
    public string Name { get; }

    /// <summary>The traffic it sends.</summary>
    public TesterOptions Options => _options;

    /// <summary>Delays of the measured frames.</summary>
    public LatencyRecorder Latency { get; }

    /// <summary>Whether <see cref="Start"/> was called.</summary>
    public bool IsStarted { get; private set; }

    /// <summary>Whether every frame of the pattern has been sent.</summary>
    public bool IsFinished { get; private set; }

    /// <summary>Frames sent so far, warm-up included; the next frame's id.</summary>
    public long FramesSent => _nextId;

    /// <summary>Measured frames reported dropped so far (for a run that stops at the first loss).</summary>
    public long MeasuredLost => _lost;

    /// <summary>
    /// When set, the first measured frame reported dropped ends the simulation run after
    /// the event that dropped it (<see cref="Simulator.Stop"/>): a zero-loss trial has
    /// failed then. Asking here, rather than with a predicate after every event, spares
    /// the run a delegate call per event.
    /// </summary>
    public bool StopAtFirstLoss { get; set; }

    /// <summary>Called with each frame as it is created, before it reaches the wire (to attach a <see cref="Packet.Observer"/>).</summary>
    public Action<Packet>? Sending { get; set; }

    /// <summary>When the last measured frame may start (start + warm-up + duration).</summary>
    public long EndNs => _endNs;

    /// <summary>Starts the traffic now: the first frame is ready at once.</summary>
    /// <exception cref="InvalidOperationException">When already started.</exception>
    public void Start()
    {
        if (IsStarted)
        {
            throw new InvalidOperationException($"tester '{Name}' is already started");
        }

        IsStarted = true;
        _startNs = _sim.NowNs;
        _warmupEndNs = _startNs + _options.WarmupNs;
        _endNs = _warmupEndNs + _options.DurationNs;
        _nextReadyNs = _startNs;
        _burstStartNs = _startNs;
        SendNext();
    }

    /// <summary>A frame's last bit reached the tester's receive port now.</summary>
    /// <exception cref="InvalidOperationException">For a frame this tester did not send, or one already received.</exception>
    public void Receive(Packet packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        long sentNs = packet.At(Probe.TesterSend);
        if (packet.Id >= _nextId || sentNs < 0)
        {
            throw new InvalidOperationException($"tester '{Name}' received frame {packet.Id}, which it did not send (an echo must return the same Packet)");
        }

        if (packet.At(Probe.TesterReceive) >= 0)
        {
            throw new InvalidOperationException($"tester '{Name}' received frame {packet.Id} twice: a model duplicated it");
        }

        long nowNs = _sim.NowNs;
        packet.Stamp(Probe.TesterReceive, nowNs);
        if (packet.Id >= _firstMeasuredId)
        {
            _received++;
            Latency.Record(nowNs - sentNs);
        }
        else
        {
            _warmupReceived++;
        }

        CheckBalance(packet);
    }

    /// <summary>A model dropped <paramref name="packet"/> at <paramref name="reason"/> (wire each drop site's observer here).</summary>
    /// <exception cref="InvalidOperationException">For a frame already received, or more losses than frames sent.</exception>
    public void NotifyDropped(Packet packet, DropReason reason)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (packet.At(Probe.TesterReceive) >= 0)
        {
            throw new InvalidOperationException($"frame {packet.Id} was reported dropped at {reason} after the tester received it");
        }

        if (packet.Id >= _firstMeasuredId)
        {
            _lost++;
            _lostByReason[(int)reason]++;
            if (StopAtFirstLoss)
            {
                _sim.Stop();
            }
        }
        else
        {
            _warmupLost++;
        }

        CheckBalance(packet);
    }

    /// <summary>The counts so far (call after the run, once <see cref="IsFinished"/>, for the final report).</summary>
    public TesterResult Result() => new(
        _offered,
        _sent,
        _received,
        _lost,
        _sent - _received - _lost,
        _warmupSent,
        _warmupReceived,
        _warmupLost,
        (long[])_lostByReason.Clone(),
        Latency);

    /// <summary>Puts the next frame of the pattern on the line, or finishes.</summary>
    private void SendNext()
    {
        if (_nextReadyNs >= _endNs)
        {
            IsFinished = true;
            return;
        }

        _pendingIsWarmup = _nextReadyNs < _warmupEndNs;
        if (!_pendingIsWarmup)
        {
            _offered++;
        }

        long lastBitNs = _line.Transmit(Math.Max(_nextReadyNs, _sim.NowNs), _options.FrameBytes, out long firstBitNs);
        _sim.Schedule(lastBitNs, _onLastBit, firstBitNs);
        AdvancePattern();
    }

    private void OnLastBit(long firstBitNs)
    {
        var packet = new Packet(_nextId++, _options.FrameBytes);
        packet.Stamp(Probe.TesterSend, firstBitNs);
        Sending?.Invoke(packet);
        if (_pendingIsWarmup)
        {
            _warmupSent++;
        }
        else
        {
            if (_firstMeasuredId == long.MaxValue)
            {
                _firstMeasuredId = packet.Id;
            }

            _sent++;
        }

        SendNext();
        _transmit(packet);
    }

    /// <summary>When the next frame is ready.</summary>
    private void AdvancePattern()
    {
        switch (_options.Pattern)
        {
            case TrafficPattern.Cbr:
                _nextReadyNs += NextGapNs();
                break;
            case TrafficPattern.Burst:
                if (++_burstIndex == _options.BurstFrames)
                {
                    _burstIndex = 0;
                    _burstStartNs += NextGapNs();
                }

                _nextReadyNs = _burstStartNs;
                break;
            default:
                // Offsets accumulate in double and are floored once, so rounding never drifts.
                _poissonOffsetNs += Exponential.Sample(_random, _poissonRatePerNs);
                _nextReadyNs = _startNs + (long)Math.Floor(_poissonOffsetNs);
                break;
        }
    }

    /// <summary>The exact gap, whole ns plus a carried fraction, so n gaps sum to ⌊n · gap⌋.</summary>
    private long NextGapNs()
    {
        long gapNs = _gapQuotientNs;
        _carryUnits += _gapRemainderUnits;
        if (_carryUnits >= _rateBps)
        {
            _carryUnits -= _rateBps;
            gapNs++;
        }

        return gapNs;
    }

    private void CheckBalance(Packet packet)
    {
        if (_received + _lost > _sent || _warmupReceived + _warmupLost > _warmupSent)
        {
            throw new InvalidOperationException(
                $"tester '{Name}': more frames came back or were lost than were sent (frame {packet.Id}): a model duplicated a frame");
        }
    }
}
