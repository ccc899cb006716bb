using Kbp.Sim.Models.Container;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Tests.Kernel;

namespace Kbp.Sim.Tests.Container;

public class BacklogTests
{
    /// <summary>A sender that transmits on a veth with bottom halves off, then re-enables them (dev_queue_xmit).</summary>
    private sealed class VethSender : KThread
    {
        private readonly Veth _peer;
        private readonly Packet _packet;

        public VethSender(KernelCpu cpu, Veth peer, Packet packet)
            : base(cpu, "sender", SchedPolicy.Fair, 0, userMode: true)
        {
            _peer = peer;
            _packet = packet;
        }

        public bool NetRxPendingInsideSection { get; private set; }

        public long BhEnabledAtNs { get; private set; } = -1;

        protected override void Run()
        {
            ExecuteBhDisabled(200, () =>
            {
                _peer.Xmit(_packet, Cpu);
                NetRxPendingInsideSection = Cpu.Softirq.IsPending(SoftirqVector.NetRx);
                BhEnabledAtNs = Cpu.Kernel.Sim.NowNs;
                Cpu.Softirq.LocalBhEnable(BhContext, Sleep);
            });
        }
    }

    [Fact]
    public void A_veth_send_raises_NET_RX_on_the_senders_backlog_and_runs_it_at_local_bh_enable_in_the_senders_context()
    {
        var sim = new Simulator(1);
        Kbp.Sim.Models.Kernel.Kernel kernel = KernelFixture.NewKernel(sim, cpus: 2);
        var received = new List<(long AtNs, int Cpu, bool KsoftirqdRan)>();
        KernelCpu cpu1 = kernel.Cpus[1];
        var peer = new Veth(sim, "eth0@ns", 1_000, p => received.Add((sim.NowNs, cpu1.Id, cpu1.Ksoftirqd.State != TaskState.Sleeping)));
        var sender = new VethSender(cpu1, peer, new Packet(1, 64));
        sender.Wake();

        sim.Run(untilNs: 1_000_000);

        Assert.True(sender.NetRxPendingInsideSection);
        var frame = Assert.Single(received);
        Assert.Equal(1, cpu1.Backlog.Napi.Polls);
        Assert.Equal(0, kernel.Cpus[0].Backlog.Napi.Polls);

        // Delivered right after the section: softIRQ entry plus the receive cost, no ksoftirqd.
        Assert.InRange(frame.AtNs - sender.BhEnabledAtNs, 1_000, 1_000 + kernel.Costs.SoftirqEntryNs + 1);
        Assert.False(frame.KsoftirqdRan);
        Assert.Equal(0, cpu1.Softirq.DeferralsToKsoftirqd);
    }

    [Fact]
    public void A_full_backlog_drops_above_netdev_max_backlog()
    {
        var sim = new Simulator(1);
        Kbp.Sim.Models.Kernel.Kernel kernel = KernelFixture.NewKernel(sim);
        var peer = new Veth(sim, "eth0@ns", 1_000, _ => { });
        var drops = new List<DropReason>();
        kernel.Cpus[0].Backlog.OnDrop = (_, reason) => drops.Add(reason);

        // Nothing re-enables bottom halves here: the backlog only fills.
        int accepted = Enumerable.Range(0, 1_010).Count(i => peer.Xmit(new Packet(i, 64), kernel.Cpus[0]));

        Assert.Equal(kernel.Options.NetdevMaxBacklog + 1, accepted);
        Assert.All(drops, r => Assert.Equal(DropReason.Backlog, r));
        Assert.Equal(1_010 - accepted, drops.Count);
    }
}
