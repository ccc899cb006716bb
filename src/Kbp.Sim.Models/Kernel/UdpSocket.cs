using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// A UDP socket's receive side (__udp_enqueue_schedule_skb, net/ipv4/udp.c): frames are
/// charged by truesize against rcvbuf (rmem_default 212992 B), dropped when the buffer is
/// already over it, queued otherwise, and a blocked reader is woken (sock_def_readable).
/// </summary>
public sealed class UdpSocket
{
    private readonly Queue<(Packet Packet, long QueuedNs, WaitSnapshot Snapshot)> _queue = new();
    private readonly Simulator _sim;
    private long _rmemAllocBytes;

    /// <summary>Creates a socket with a receive buffer of <paramref name="rcvbufBytes"/> of truesize.</summary>
    /// <param name="sim">The simulator.</param>
    /// <param name="rcvbufBytes">sk_rcvbuf [rmem_default = 212992 B, include/net/sock.h SK_RMEM_MAX].</param>
    /// <param name="truesizeOverheadBytes">skb truesize beyond the frame (sk_buff + shared info, ~576 B; kernel-mechanics §7).</param>
    public UdpSocket(Simulator sim, long rcvbufBytes = 212_992, int truesizeOverheadBytes = 576)
    {
        _sim = sim;
        RcvbufBytes = rcvbufBytes;
        TruesizeOverheadBytes = truesizeOverheadBytes;
    }

    /// <summary>sk_rcvbuf in bytes of truesize.</summary>
    public long RcvbufBytes { get; }

    /// <summary>Per-frame truesize overhead.</summary>
    public int TruesizeOverheadBytes { get; }

    /// <summary>The thread that reads this socket (for wait attribution).</summary>
    public KThread? Reader { get; set; }

    /// <summary>The reader blocked in recvfrom, if any; woken by the next frame.</summary>
    public KThread? BlockedReader { get; set; }

    /// <summary>Frames dropped because the buffer was full (RcvbufErrors).</summary>
    public long Drops { get; private set; }

    /// <summary>Frames waiting.</summary>
    public int Count => _queue.Count;

    /// <summary>Called with each dropped frame.</summary>
    public Action<Packet, DropReason>? OnDrop { get; set; }

    /// <summary>Enqueues a frame from softIRQ context; wakes a blocked reader.</summary>
    public void Enqueue(Packet packet)
    {
        if (_rmemAllocBytes > RcvbufBytes)
        {
            Drops++;
            OnDrop?.Invoke(packet, DropReason.SocketBuffer);
            return;
        }

        _rmemAllocBytes += packet.FrameBytes + TruesizeOverheadBytes;
        _queue.Enqueue((packet, _sim.NowNs, Reader is null ? default : WaitMeter.Snapshot(Reader.Cpu, Reader)));
        if (BlockedReader is { } reader)
        {
            BlockedReader = null;
            reader.Wake();
        }
    }

    /// <summary>recvfrom: takes the oldest frame, charging its time in the queue to what kept the reader away.</summary>
    public bool TryDequeue(out Packet packet)
    {
        if (_queue.Count == 0)
        {
            packet = null!;
            return false;
        }

        (packet, long queuedNs, WaitSnapshot snapshot) = _queue.Dequeue();
        _rmemAllocBytes -= packet.FrameBytes + TruesizeOverheadBytes;
        if (Reader is null)
        {
            packet.AddWait(WaitCause.SocketQueue, _sim.NowNs - queuedNs);
        }
        else
        {
            WaitMeter.Charge(packet, queuedNs, snapshot, Reader.Cpu, Reader, WaitCause.SocketQueue);
        }

        return true;
    }
}
