using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Tests.Scenarios;

/// <summary>Good scenarios bind to the values they say, with the documented defaults for the rest.</summary>
public class ScenarioSpecTests
{
    [Fact]
    public void A_complete_scenario_binds_every_key_to_the_value_it_gives()
    {
        string path = ScenarioTestFiles.PathOf("Good", "vm-kbp-1gbps-1518b.yaml");

        ScenarioSpec spec = ScenarioLoader.Load(path, null, []);

        Assert.Equal("vm-kbp-1gbps-1518b", spec.Name);
        Assert.StartsWith("KBP on host and guest", spec.Description);
        Assert.Equal(Path.GetFullPath(path), spec.SourcePath);
        Assert.Equal(ScenarioTestFiles.PathOf("Profiles", "test-profile.yaml"), spec.ProfilePath);
        Assert.Equal(Topology.Vm, spec.Topology);
        Assert.Equal(Datapath.Kbp, spec.Datapath);
        Assert.Equal(new KernelSpec { Version = KernelVersion.V6_1, GuestVersion = KernelVersion.V6_1, Hz = 1000, NapiThreadPolicy = SchedPolicy.Fair, NapiThreadPriority = 50 }, spec.Kernel);

        HostSpec host = spec.Host;
        Assert.Equal(16, host.Cpus);
        Assert.Equal([2, 3, 4, 5, 6, 7], host.IsolatedCpus);
        Assert.Equal(GovernorPolicy.Ondemand, host.Governor);
        Assert.Equal((2, 3), (host.NicIrqCpu, host.VhostCpu));
        Assert.Equal((SchedPolicy.Fifo, 60), (host.VhostPolicy, host.VhostPriority));
        Assert.Equal([4, 5, 6, 7], host.VcpuCpus);
        Assert.Equal((SchedPolicy.Rr, 40), (host.VcpuPolicy, host.VcpuPriority));
        Assert.Equal([2], host.Kbp.Cpus);
        Assert.Equal((128, KbpIdleMode.Sleep, SchedPolicy.Rr, 70), (host.Kbp.Weight, host.Kbp.Idle, host.Kbp.Policy, host.Kbp.Priority));

        GuestSpec guest = spec.Guest;
        Assert.Equal((4, 1, 2), (guest.Vcpus, guest.IrqCpu, guest.AppCpu));
        Assert.Equal([1, 3], guest.Kbp.Cpus);
        Assert.Equal((32, KbpIdleMode.Busy, SchedPolicy.Fifo, 10), (guest.Kbp.Weight, guest.Kbp.Idle, guest.Kbp.Policy, guest.Kbp.Priority));

        Assert.Equal(new NicSpec { RateBps = 10e9, RxRingDescriptors = 1024, TxRingDescriptors = 256, Moderation = InterruptModeration.Fixed, RxUsecsNs = 50_000 }, spec.Nic);
        Assert.Equal(new VirtioSpec { QueueSize = 512, TapQueueLength = 1000 }, spec.Virtio);

        TrafficSpec traffic = spec.Traffic;
        Assert.Equal(TesterMode.Echo, traffic.Mode);
        Assert.Equal(1e9, traffic.RateBps);
        Assert.Equal(RateLayer.L1, traffic.RateLayer);
        Assert.Equal(1518, traffic.FrameBytes);
        Assert.Equal((TrafficPattern.Burst, 16), (traffic.Pattern, traffic.BurstFrames));
        Assert.Equal((2_000_000_000L, 50_000_000L), (traffic.DurationNs, traffic.WarmupNs));
        Assert.Equal(3, traffic.Repetitions);
        Assert.Equal(ulong.MaxValue, traffic.Seed);
        Assert.Equal(1e9 / (8 * 1538), traffic.FramesPerSecond, 6);

        Assert.Equal(2, spec.Interference.Host.Count);
        Assert.Equal(
            new InterferenceSourceSpec
            {
                Name = "kworker/3",
                Cpu = 3,
                Policy = SchedPolicy.Fair,
                Priority = 0,
                PeriodNs = 10_000_000,
                BurstNs = 50_000,
                JitterPercent = 5,
                Kind = InterferenceKind.Thread,
                Softirq = SoftirqRaise.None,
                Bound = true,
                Wakeup = InterferenceWakeup.TimerWheel,
            },
            spec.Interference.Host[0]);
        Assert.Equal(
            new InterferenceSourceSpec
            {
                Name = "nvme-irq",
                Cpu = 2,
                Policy = SchedPolicy.Fifo,
                Priority = 50,
                PeriodNs = 1_000_000,
                BurstNs = 2_200,
                JitterPercent = 0,
                Kind = InterferenceKind.Irq,
                Softirq = SoftirqRaise.Block,
                Bound = true,
                Wakeup = InterferenceWakeup.TimerWheel,
            },
            spec.Interference.Host[1]);
        Assert.Equal(("guest-timer", SoftirqRaise.Timer), (spec.Interference.Guest.Single().Name, spec.Interference.Guest.Single().Softirq));

        Assert.Equal(1_100, spec.Costs.Host.Kernel.HardIrqNs);         // from the profile
        Assert.Equal(120, spec.Costs.Host.Kernel.SoftirqEntryNs);
        Assert.Equal(1_400, spec.Costs.Host.VmExitNs);
        Assert.Equal(1_700, spec.Costs.Guest.AppSendNs);        // the scenario over the profile
        Assert.Equal(750, spec.Costs.Guest.Kernel.TickNs);
        Assert.True(spec.Outputs.PerPacketCsv);
    }

    [Fact]
    public void A_minimal_scenario_takes_the_documented_defaults()
    {
        ScenarioSpec spec = ScenarioLoader.Load(ScenarioTestFiles.PathOf("Good", "minimal.json"), null, []);

        Assert.Equal("minimal", spec.Name);
        Assert.Equal(string.Empty, spec.Description);
        Assert.Null(spec.ProfilePath);
        Assert.Equal(Datapath.Napi, spec.Datapath);
        Assert.Equal(new KernelSpec { Version = KernelVersion.V4_15, GuestVersion = KernelVersion.V4_15, Hz = 250, NapiThreadPolicy = SchedPolicy.Fair, NapiThreadPriority = 50 }, spec.Kernel);
        Assert.Equal(28, spec.Host.Cpus);
        Assert.Empty(spec.Host.IsolatedCpus);
        Assert.Equal((2, 3), (spec.Host.NicIrqCpu, spec.Host.VhostCpu));
        Assert.Equal([4, 5, 6, 7], spec.Host.VcpuCpus);          // derived: after the IRQ and vhost CPUs
        Assert.Equal([2], spec.Host.Kbp.Cpus);                   // derived: the NIC IRQ CPU
        Assert.Equal([1], spec.Guest.Kbp.Cpus);                  // derived: the guest IRQ CPU
        Assert.Equal((64, KbpIdleMode.Busy, SchedPolicy.Fifo, 50), (spec.Host.Kbp.Weight, spec.Host.Kbp.Idle, spec.Host.Kbp.Policy, spec.Host.Kbp.Priority));
        Assert.Equal(new NicSpec { RateBps = 10e9, RxRingDescriptors = 512, TxRingDescriptors = 512, Moderation = InterruptModeration.Adaptive, RxUsecsNs = 10_000 }, spec.Nic);
        Assert.Equal(new VirtioSpec { QueueSize = 256, TapQueueLength = 500 }, spec.Virtio);
        Assert.Equal(
            new TrafficSpec
            {
                Mode = TesterMode.Echo,
                RateBps = 80e6,
                RateLayer = RateLayer.L2,
                FrameBytes = 64,
                Pattern = TrafficPattern.Cbr,
                BurstFrames = 32,
                DurationNs = 60_000_000_000,
                WarmupNs = 100_000_000,
                Repetitions = 5,
                Seed = 1,
            },
            spec.Traffic);
        Assert.Empty(spec.Interference.Host);
        Assert.Empty(spec.Interference.Guest);
        Assert.Equal(1_000, spec.Costs.Host.Kernel.HardIrqNs);
        Assert.Equal(100, spec.Costs.Guest.Kernel.SoftirqEntryNs);
        Assert.False(spec.Outputs.PerPacketCsv);
    }

    [Fact]
    public void Every_built_in_default_is_a_key_the_scenario_reads()
    {
        // An unknown key in the defaults would make every scenario fail; a typo there must fail here.
        ScenarioSpec spec = ScenarioLoader.Load(ScenarioTestFiles.PathOf("Good", "minimal.json"), null, []);

        Assert.NotNull(spec);
    }

    [Fact]
    public void An_l2_rate_that_just_fits_the_line_with_the_ethernet_overhead_is_accepted()
    {
        // 64 B frames: 1 Gbps on the wire carries 1e9 * 64 / 84 bits/s of frames.
        string path = ScenarioTestFiles.PathOf("Good", "minimal.json");
        ScenarioSpec spec = ScenarioLoader.Load(path, null, ["nic.rate=1Gbps", "traffic.rate=761.904761Mbps"]);

        Assert.True(spec.Traffic.WireRateBps <= 1e9);
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path, null, ["nic.rate=1Gbps", "traffic.rate=762Mbps"]));
        Assert.Contains("offered load exceeds line rate", e.OneLine);
        Assert.Contains("761.904762Mbps (l2)", e.OneLine);
    }

    [Fact]
    public void All_problems_are_collected_and_the_first_is_reported_with_a_count()
    {
        string path = ScenarioTestFiles.PathOf("Good", "minimal.json");

        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(
            path, null, ["nic.rxRing=0", "traffic.duration=5", "virtio.queueSize=300", "traffic.mood=echo"]));

        Assert.Equal(
            ["traffic.mood", "nic.rxRing", "virtio.queueSize", "traffic.duration"],
            e.Errors.Select(x => x.KeyPath));
        Assert.StartsWith("--set: unknown key 'traffic.mood' (allowed here: mode, rate,", e.OneLine);
        Assert.EndsWith("(and 3 more)", e.OneLine);
        Assert.DoesNotContain('\n', e.OneLine);
    }
}
