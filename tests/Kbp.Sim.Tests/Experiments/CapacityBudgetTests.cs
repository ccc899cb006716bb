using FsCheck.Fluent;
using FsCheck.Xunit;
using FsCheck;
using Kbp.Sim.Models.Applications;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;
using Kbp.Sim.Models.Virtualization;
using Kbp.Sim.Tests.Contract;

namespace Kbp.Sim.Tests.Experiments;

/// <summary>The analytic first estimate: stage costs from the spec, the bottleneck, and the paper's frame-size arithmetic.</summary>
public class CapacityBudgetTests
{
    private static VmSpec Load(string name, params string[] sets) =>
        VmScenario.ToVmSpec(ScenarioLoader.Load(
            RepositoryFiles.PaperScenario(name), null, sets));

    [Fact]
    public void One_way_through_KBP_at_1_7_GHz_the_guest_receive_path_is_the_bottleneck_at_the_papers_2_20_us()
    {
        StageBudget b = StageBudget.Of(Load("vm-kbp-1gbps-512b.yaml", "host.clock=1.7GHz", "traffic.mode=one-way"));

        Assert.StartsWith("guest rx", Assert.Single(b.Bottleneck.Stages).Stage);
        Assert.Equal(2_200, b.CpuNsPerFrame(conservative: true));
        Assert.False(b.IsRange);

        // The paper's division: 1 Gbit/s of frame bits in 8-bit bytes every 2.20 us is 275 B;
        // with the 20 B of preamble, SFD and IFG counted in the rate, 255 B.
        Assert.Equal(275.0, b.FrameSizeLimitBytes(1e9, rateIsL1: false, conservative: true), 9);
        Assert.Equal(255.0, b.FrameSizeLimitBytes(1e9, rateIsL1: true, conservative: true), 9);
    }

    [Fact]
    public void Echoed_through_KBP_the_application_is_the_bottleneck_with_a_kick_every_second_frame_at_most()
    {
        StageBudget b = StageBudget.Of(Load("vm-kbp-1gbps-512b.yaml", "host.clock=1.7GHz"));

        StageCost app = Assert.Single(b.Bottleneck.Stages);
        Assert.StartsWith("application", app.Stage);
        Assert.Equal(1_176 + 1_765 + 588, app.WorkNs);           // recv + send + xmit, 2.0/1.7 times the profile's
        KickCycle kick = Assert.IsType<KickCycle>(b.Kick);
        Assert.Equal(2, kick.FramesPerKick);                    // 1 + floor(2.35 / (3.53 - 1.53))
        Assert.Equal(882, app.KickShareNs);                     // half of the 1.76 us VM exit
        Assert.True(b.IsRange);
        Assert.InRange(b.FrameSizeLimitBytes(1e9, rateIsL1: false, conservative: false), 441, 442);
        Assert.InRange(b.FrameSizeLimitBytes(1e9, rateIsL1: false, conservative: true), 551, 552);
        Assert.Equal("host cpu3", b.Cpus.Single(c => c.Stages.Count == 2).Where); // vhost-net does both directions
    }

    [Fact]
    public void OvS_DPDK_polls_the_guests_ring_so_the_application_pays_no_kick()
    {
        StageBudget b = StageBudget.Of(Load("vm-ovs-dpdk-1gbps-512b.yaml"));

        Assert.Null(b.Kick);
        Assert.False(b.IsRange);
        Assert.StartsWith("application", b.Bottleneck.Stages.Single().Stage);
        Assert.Equal(375.0, b.FrameSizeLimitBytes(1e9, rateIsL1: false, conservative: true), 9); // 3.00 us
        Assert.Contains(b.Stages, s => s.Stage.StartsWith("OvS PMD", StringComparison.Ordinal) && s.HostCpu == 2);
    }

    [Fact]
    public void A_container_puts_the_NIC_poll_and_the_containers_receive_on_one_cpu_and_the_echo_and_egress_on_another()
    {
        StageBudget b = StageBudget.Of(Load("container-kbp-docker-1gbps-512b.yaml"));

        Assert.Equal(2, b.Cpus.Count);
        Assert.Equal(1_830 + 400, b.Cpus.Single(c => c.HostCpu == 2).WorkNs);
        Assert.Equal(2_700 + 1_630 + 100, b.Cpus.Single(c => c.HostCpu == 4).WorkNs); // + one softIRQ entry per sendto
        Assert.Equal(4, b.Bottleneck.HostCpu);
    }

    [Fact]
    public void The_line_limits_large_frames_when_the_cpus_are_fast_and_no_frame_size_carries_a_rate_above_it()
    {
        StageBudget b = StageBudget.Of(Load("vm-ovs-dpdk-1gbps-512b.yaml", "nic.rate=1Gbps", "traffic.rate=100Mbps"));

        Assert.True(b.LineLimited(1518, conservative: true));
        Assert.False(b.LineLimited(64, conservative: true));
        Assert.Equal(1e9 * 1518 / 1538, b.MaxRateBps(1518, rateIsL1: false, conservative: true), 3);
        Assert.Equal(double.PositiveInfinity, b.FrameSizeLimitBytes(1e9, rateIsL1: false, conservative: false));
        Assert.Equal(double.PositiveInfinity, b.FrameSizeLimitBytes(1.1e9, rateIsL1: true, conservative: false));

        // With fast CPUs, 900 Mbit/s of frame bits fits on a 1 Gbit/s line from 180 B on: 20 * 0.9 / (1 - 0.9).
        Assert.Equal(180.0, StageBudget.Of(Load("vm-ovs-dpdk-1gbps-512b.yaml", "nic.rate=1Gbps", "traffic.rate=100Mbps", "costs.guest.appRecv=0.1us", "costs.guest.appSend=0.1us", "costs.guest.virtioXmit=0.1us", "costs.guest.napiPollPerPacket=0.1us", "costs.guest.udpReceive=0.1us"))
            .FrameSizeLimitBytes(0.9e9, rateIsL1: false, conservative: true), 9);
    }

    /// <summary>Random costs (ns) for the stages of a VM spec and a random line rate.</summary>
    private static Gen<VmSpec> Specs() =>
        from hostRx in Gen.Choose(1, 5_000)
        from vhost in Gen.Choose(1, 5_000)
        from hostTx in Gen.Choose(1, 5_000)
        from guestRx in Gen.Choose(1, 5_000)
        from recv in Gen.Choose(1, 5_000)
        from send in Gen.Choose(1, 5_000)
        from kickNs in Gen.Choose(0, 5_000)
        from line in Gen.Elements(1e9, 10e9, 25e9, 100e9)
        from datapath in Gen.Elements(Datapath.Napi, Datapath.Kbp, Datapath.OvsDpdk)
        from mode in Gen.Elements(TesterMode.Echo, TesterMode.OneWay)
        select new VmSpec
        {
            Datapath = datapath,
            HostRxPerPacketNs = hostRx,
            Vhost = new VhostCosts(vhost, hostTx, 500),
            GuestRxPerPacketNs = guestRx,
            Echo = new EchoCosts(recv, send, 300, kickNs),
            Ovs = new OvsDpdkCosts(vhost / 4, hostTx / 4, 300, 100),
            Nic = new NicOptions { RateBps = line },
            Tester = new TesterOptions { Mode = mode, LineRateBps = line },
        };

    [Property(MaxTest = 300)]
    public Property A_larger_frame_never_lowers_the_sustainable_bit_rate()
    {
        Gen<(VmSpec, int, int, bool, bool)> cases =
            from spec in Specs()
            from a in Gen.Choose(64, 9018)
            from b in Gen.Choose(64, 9018)
            from l1 in Gen.Elements(true, false)
            from conservative in Gen.Elements(true, false)
            select (spec, Math.Min(a, b), Math.Max(a, b), l1, conservative);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            (VmSpec spec, int small, int large, bool l1, bool conservative) = c;
            StageBudget budget = StageBudget.Of(spec);
            double atSmall = budget.MaxRateBps(small, l1, conservative);
            double atLarge = budget.MaxRateBps(large, l1, conservative);
            bool framesNotFaster = budget.MaxFramesPerSecond(large, conservative) <= budget.MaxFramesPerSecond(small, conservative) + 1e-6;
            return (atLarge >= atSmall * (1 - 1e-12) && framesNotFaster).Label($"{small} B: {atSmall} bit/s, {large} B: {atLarge} bit/s");
        });
    }

    [Property(MaxTest = 300)]
    public Property The_kick_only_widens_the_range_and_more_work_never_raises_the_capacity()
    {
        Gen<(VmSpec, int, int)> cases =
            from spec in Specs()
            from size in Gen.Choose(64, 1518)
            from extra in Gen.Choose(0, 3_000)
            select (spec, size, extra);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            (VmSpec spec, int size, int extra) = c;
            StageBudget b = StageBudget.Of(spec);
            StageBudget slower = StageBudget.Of(spec with { GuestRxPerPacketNs = spec.GuestRxPerPacketNs + extra });
            bool range = b.MaxRateBps(size, false, conservative: true) <= b.MaxRateBps(size, false, conservative: false)
                && b.FrameSizeLimitBytes(5e8, false, conservative: true) >= b.FrameSizeLimitBytes(5e8, false, conservative: false);
            bool monotone = slower.MaxRateBps(size, false, true) <= b.MaxRateBps(size, false, true)
                && slower.MaxRateBps(size, false, false) <= b.MaxRateBps(size, false, false);
            return (range && monotone).ToProperty();
        });
    }
}
