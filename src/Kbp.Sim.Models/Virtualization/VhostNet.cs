using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Virtualization;

/// <summary>Per-frame costs of the vhost-net worker, nominal ns (calibration parameters).</summary>
/// <param name="PerPacketNs">Copy between tap and guest memory plus ring handling, per frame.</param>
/// <param name="HostTxNs">tun_get_user → host stack → NIC driver xmit, per frame.</param>
/// <param name="InjectNs">irqfd_wakeup and posted-interrupt delivery, per guest signal.</param>
public readonly record struct VhostCosts(long PerPacketNs, long HostTxNs, long InjectNs);

/// <summary>
/// The vhost-net worker thread vhost-&lt;pid&gt; (drivers/vhost/net.c, vhost.c;
/// kernel-mechanics §4.2): a host kernel thread that runs queued works — handle_rx (tap →
/// guest Rx virtqueue, then signal the guest) and handle_tx (guest Tx virtqueue → tap →
/// host stack → NIC) — each stopping after VHOST_NET_PKT_WEIGHT (256) frames and requeueing
/// itself; between works it yields if need_resched (vhost_worker), and sleeps when no work
/// is queued.
/// </summary>
public sealed class VhostNet : KThread, IVirtioTxBackend
{
    /// <summary>VHOST_NET_PKT_WEIGHT: frames per handler run before it requeues itself.</summary>
    public const int PacketWeight = 256;

    private readonly TapQueue _tap;
    private readonly VirtioNetRx _guestRx;
    private readonly VirtioNetTx _guestTx;
    private readonly Func<Packet, bool> _hostTransmit;
    private readonly VhostCosts _costs;
    private readonly Action _run;
    private readonly Action _afterRxCopy;
    private readonly Action _afterSignal;
    private readonly Action _afterTxCopy;
    private readonly Action _afterHostTx;
    private readonly Action _nextTx;
    private bool _rxQueued;
    private bool _txQueued;

    // The thread runs one step at a time, so the frame a handler works on and its count
    // live in fields and each continuation is one cached delegate: no allocation per frame.
    private Packet? _rxPacket;
    private int _rxDone;
    private Packet? _txPacket;
    private int _txDone;

    /// <summary>Creates the worker on <paramref name="cpu"/> and connects it to its queues.</summary>
    public VhostNet(KernelCpu cpu, SchedPolicy policy, int priority, TapQueue tap, VirtioNetRx guestRx, VirtioNetTx guestTx, Func<Packet, bool> hostTransmit, VhostCosts costs)
        : base(cpu, "vhost-net", policy, priority, userMode: false)
    {
        _tap = tap;
        _guestRx = guestRx;
        _guestTx = guestTx;
        _hostTransmit = hostTransmit;
        _costs = costs;
        _run = Run;
        _afterRxCopy = AfterRxCopy;
        _afterSignal = AfterSignal;
        _afterTxCopy = AfterTxCopy;
        _afterHostTx = AfterHostTx;
        _nextTx = () => HandleTx(_txDone + 1);
        tap.Consumer = this;
        guestTx.Consumer = this;
        guestRx.OnRefillKick = NotifyRx;
    }

    /// <summary>Frames copied into the guest.</summary>
    public long RxPackets { get; private set; }

    /// <summary>Frames taken from the guest.</summary>
    public long TxPackets { get; private set; }

    /// <inheritdoc/>
    public KThread Worker => this;

    /// <inheritdoc/>
    public WaitCause QueueingCause => WaitCause.Wakeup;

    /// <summary>vhost_poll_wakeup on the tap socket: queue handle_rx.</summary>
    public void NotifyRx()
    {
        _rxQueued = true;
        Wake();
    }

    /// <summary>The guest kicked: queue handle_tx.</summary>
    public void NotifyTx()
    {
        _txQueued = true;
        Wake();
    }

    /// <inheritdoc/>
    protected override void Run()
    {
        if (_txQueued)
        {
            _txQueued = false;
            HandleTx(0);
        }
        else if (_rxQueued)
        {
            _rxQueued = false;
            HandleRx(0);
        }
        else
        {
            Sleep();
        }
    }

    /// <summary>handle_rx: tap → guest buffers; signal the guest after the batch.</summary>
    private void HandleRx(int done)
    {
        if (done >= PacketWeight || _tap.Count == 0 || !_guestRx.HasBuffer)
        {
            if (done >= PacketWeight && _tap.Count > 0)
            {
                _rxQueued = true;
            }
            else if (_tap.Count > 0)
            {
                // get_rx_bufs found no guest buffer: wait for the guest's refill kick.
                _guestRx.HostWaitsForBuffers = true;
            }

            EndRx(done);
            return;
        }

        _tap.TryDequeue(out Packet packet);
        _rxPacket = packet;
        _rxDone = done;
        ExecuteFor(packet, _costs.PerPacketNs, _afterRxCopy);
    }

    private void AfterRxCopy()
    {
        Packet packet = _rxPacket!;
        _rxPacket = null;
        RxPackets++;
        _guestRx.TryAddUsed(packet);
        HandleRx(_rxDone + 1);
    }

    private void EndRx(int done)
    {
        if (done > 0 && _guestRx.CallbacksEnabled)
        {
            Execute(_costs.InjectNs, _afterSignal);
            return;
        }

        CondResched(_run);
    }

    private void AfterSignal()
    {
        _guestRx.SignalGuest();
        CondResched(_run);
    }

    /// <summary>handle_tx: guest → tap → host stack → NIC, with bottom halves off for the stack part.</summary>
    private void HandleTx(int done)
    {
        if (done >= PacketWeight || !_guestTx.TryTake(out Packet packet))
        {
            if (_guestTx.Count > 0)
            {
                _txQueued = true;
            }
            else
            {
                _guestTx.EnableKick();
            }

            CondResched(_run);
            return;
        }

        _txPacket = packet;
        _txDone = done;
        ExecuteFor(packet, _costs.PerPacketNs, _afterTxCopy);
    }

    private void AfterTxCopy()
    {
        TxPackets++;
        _txPacket!.Stamp(Probe.Txh0, Cpu.Kernel.Sim.NowNs);
        ExecuteBhDisabled(_costs.HostTxNs, _afterHostTx);
    }

    private void AfterHostTx()
    {
        Packet packet = _txPacket!;
        _txPacket = null;
        packet.Stamp(Probe.Txh1, Cpu.Kernel.Sim.NowNs);
        _hostTransmit(packet);

        // tun_rx_batched's local_bh_enable: softIRQs raised meanwhile run here,
        // unless they are left to a runnable ksoftirqd.
        Cpu.Softirq.LocalBhEnable(BhContext, _nextTx);
    }
}
