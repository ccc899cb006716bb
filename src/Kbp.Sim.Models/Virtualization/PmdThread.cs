using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Virtualization;

/// <summary>
/// An OvS-DPDK poll-mode-driver thread, pmd-c&lt;core&gt; (lib/dpif-netdev.c
/// pmd_thread_main; kernel-mechanics §4.4): a user thread pinned to a dedicated core that
/// polls its assigned receive queues in turn, takes up to a burst
/// (NETDEV_MAX_BURST = 32) from each, classifies the burst and sends it to its output port
/// (dp_netdev_process_rxq_port), and never sleeps (pmd-sleep-max 0). No interrupt, softIRQ
/// or wakeup lies on its path; only what shares its core can delay it.
/// </summary>
/// <remarks>
/// Empty turns of the loop are not simulated one by one: the thread spins, and a port
/// that gets a frame tells it, so it notices at the end of the turn in progress, as a
/// real poller would on its next look (<see cref="KThread.BusyPoll"/>).
/// </remarks>
public sealed class PmdThread : KThread
{
    /// <summary>NETDEV_MAX_BURST (lib/dp-packet.h): frames per receive burst.</summary>
    public const int MaxBurst = 32;

    private readonly List<IPmdPort> _ports = [];
    private readonly List<Packet> _burst = new(MaxBurst);
    private readonly OvsDpdkCosts _costs;
    private readonly int _burstSize;
    private readonly Action _run;
    private readonly Action _sendBurst;
    private int _nextPort;
    private IPmdPort? _current;

    /// <summary>Starts the thread on <paramref name="cpu"/>; ports are assigned with <see cref="Poll"/>.</summary>
    /// <param name="cpu">Its dedicated host core (pmd-cpu-mask).</param>
    /// <param name="costs">The datapath's costs.</param>
    /// <param name="burstSize">Frames per receive burst, 1..<see cref="MaxBurst"/>.</param>
    public PmdThread(KernelCpu cpu, OvsDpdkCosts costs, int burstSize = MaxBurst)
        : base(cpu, $"pmd-c{cpu?.Id:D2}", SchedPolicy.Fair, 0, userMode: true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(burstSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(burstSize, MaxBurst);
        _costs = costs;
        _burstSize = burstSize;
        _run = Run;
        _sendBurst = SendBurst;
        Wake();
    }

    /// <summary>The ports whose receive queues this thread polls, in polling order.</summary>
    public IReadOnlyList<IPmdPort> Ports => _ports;

    /// <summary>Bursts that found at least one frame.</summary>
    public long Bursts { get; private set; }

    /// <summary>Frames received.</summary>
    public long Packets { get; private set; }

    /// <summary>Assigns a port's receive queue to this thread (pmd-rxq-assign).</summary>
    public void Poll(IPmdPort port)
    {
        ArgumentNullException.ThrowIfNull(port);
        _ports.Add(port);
    }

    /// <summary>A polled queue got a frame: a spinning thread sees it at the end of its loop turn.</summary>
    internal void OnFramesArrived() => NoticeWork();

    /// <summary>Spends a port's send work on this core, charging its stretch to the batch.</summary>
    internal void Spend(IReadOnlyList<Packet> batch, long workNs, Action next) => ExecuteFor(batch, workNs, next);

    /// <inheritdoc/>
    protected override void Run()
    {
        for (int i = 0; i < _ports.Count; i++)
        {
            IPmdPort port = _ports[_nextPort];
            _nextPort = _nextPort + 1 == _ports.Count ? 0 : _nextPort + 1;
            if (port.HasFrames)
            {
                ReceiveBurst(port);
                return;
            }
        }

        BusyPoll(_costs.IdleLoopNs, _run);
    }

    /// <summary>dp_netdev_process_rxq_port: one burst received and classified, then sent.</summary>
    private void ReceiveBurst(IPmdPort port)
    {
        _burst.Clear();
        while (_burst.Count < _burstSize && port.TryReceive(out Packet packet))
        {
            _burst.Add(packet);
        }

        Bursts++;
        Packets += _burst.Count;
        _current = port;
        ExecuteFor(_burst, _burst.Count * port.ReceiveCostNs, _sendBurst);
    }

    private void SendBurst()
    {
        IPmdPort output = _current!.Output ?? throw new InvalidOperationException($"port '{_current.Name}' has no output port");
        output.Send(this, _burst, _run);
    }
}
