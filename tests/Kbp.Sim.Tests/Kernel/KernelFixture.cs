using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Processing;

namespace Kbp.Sim.Tests.Kernel;

/// <summary>Small kernels and fake devices for mechanism tests.</summary>
internal static class KernelFixture
{
    public static Kbp.Sim.Models.Kernel.Kernel NewKernel(Simulator sim, int cpus = 1, KernelVersion version = KernelVersion.V4_15, bool ticks = false)
    {
        var processors = Enumerable.Range(0, cpus).Select(i => new Processor(sim, $"cpu{i}", i, CpuClass.Count)).ToArray();
        var kernel = new Kbp.Sim.Models.Kernel.Kernel(sim, "test", new KernelOptions { Version = version, OnlineCpus = cpus }, new KernelCosts(), processors);
        if (ticks)
        {
            foreach (KernelCpu cpu in kernel.Cpus)
            {
                _ = new TimerTick(cpu);
            }
        }

        return kernel;
    }
}

/// <summary>A device whose ring the test fills by hand; counts what was delivered.</summary>
internal sealed class FakeDevice : INapiDriver
{
    private readonly Queue<Packet> _ring = new();
    private long _nextId;

    public FakeDevice(KernelCpu cpu, long costNs = 1_000, int weight = 64)
    {
        Napi = new Napi("fake0", cpu, this, weight);
        CostNs = costNs;
        Cpu = cpu;
    }

    public Napi Napi { get; }

    public KernelCpu Cpu { get; }

    public long CostNs { get; }

    public List<(long Id, long AtNs)> Delivered { get; } = new();

    public int InterruptsReenabled { get; private set; }

    /// <summary>Frames arrive and the device interrupts (when its interrupt is enabled, i.e. napi not scheduled).</summary>
    public void Arrive(int frames)
    {
        for (int i = 0; i < frames; i++)
        {
            _ring.Enqueue(new Packet(_nextId++, 64));
        }

        if (!Napi.IsScheduled)
        {
            Cpu.HardIrq.Raise("fake0", 500, Napi.Schedule);
        }
    }

    public bool TryReceive(out Packet packet) => _ring.TryDequeue(out packet!);

    public long ReceiveCostNs(Packet packet) => CostNs;

    public void Deliver(Packet packet) => Delivered.Add((packet.Id, Cpu.Kernel.Sim.NowNs));

    public void ReenableInterrupt() => InterruptsReenabled++;
}

/// <summary>A thread that burns CPU in chunks forever (a CPU hog).</summary>
internal sealed class HogThread : KThread
{
    public HogThread(KernelCpu cpu, string name, SchedPolicy policy = SchedPolicy.Fair, int priority = 0)
        : base(cpu, name, policy, priority, userMode: true)
    {
    }

    protected override void Run() => Execute(100_000, Run);
}
