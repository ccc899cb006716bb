using Kbp.Sim.Events;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Topologies;

/// <summary>
/// Datagram delivery to a socket whose blocked reader may sit on an idle CPU that must
/// first be woken: try_to_wake_up sends the reschedule IPI (ttwu_queue_wakelist), and on a
/// VM whose idle vCPU halts (cpuidle haltpoll with guest_halt_poll_ns = 0) the hypervisor
/// has to run the vCPU again before the thread can be switched in. The reader is woken
/// <c>delayNs</c> after the datagram is queued; a reader on a busy CPU is woken at once.
/// </summary>
public sealed class HaltedCpuWakeup
{
    private readonly Simulator _sim;
    private readonly long _delayNs;
    private readonly Queue<KThread> _pending = new();
    private readonly EventCallback _wake;

    /// <summary>Creates the delivery with the wakeup delay <paramref name="delayNs"/> (0: every wakeup is immediate).</summary>
    public HaltedCpuWakeup(Simulator sim, long delayNs)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentOutOfRangeException.ThrowIfNegative(delayNs);
        _sim = sim;
        _delayNs = delayNs;
        _wake = _ => _pending.Dequeue().Wake();
    }

    /// <summary>Wakeups that had to reach an idle CPU.</summary>
    public long IdleWakeups { get; private set; }

    /// <summary>Queues <paramref name="packet"/> on <paramref name="socket"/> and wakes its blocked reader, later when its CPU is idle.</summary>
    public void Enqueue(UdpSocket socket, Packet packet)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (_delayNs > 0 && socket.BlockedReader is { } reader && reader.Cpu.IsIdle)
        {
            socket.BlockedReader = null;
            socket.Enqueue(packet);
            IdleWakeups++;
            _pending.Enqueue(reader);
            _sim.ScheduleAfter(_delayNs, _wake);
            return;
        }

        socket.Enqueue(packet);
    }
}
