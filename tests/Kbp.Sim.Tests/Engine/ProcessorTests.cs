using Kbp.Sim.Processing;

namespace Kbp.Sim.Tests.Engine;

public class ProcessorTests
{
    private const int HardIrq = 0;
    private const int Softirq = 1;
    private const int Thread = 2;

    private static (Simulator Sim, Processor Cpu, Dictionary<string, long> Done) NewCpu(int classes = 3)
    {
        var sim = new Simulator(1);
        return (sim, new Processor(sim, "host/cpu0", 0, classes), new Dictionary<string, long>());
    }

    private static WorkItem Item(Simulator sim, Dictionary<string, long> done, string label, int cls) =>
        new(label, cls, item => done[item.Label] = sim.NowNs);

    [Fact]
    public void A_more_urgent_class_preempts_and_the_preempted_item_resumes_with_its_remaining_work()
    {
        var (sim, cpu, done) = NewCpu();
        WorkItem thread = Item(sim, done, "thread:app", Thread);
        WorkItem irq = Item(sim, done, "hardirq", HardIrq);
        cpu.Submit(thread, 1_000);
        sim.Schedule(300, _ => cpu.Submit(irq, 200));
        sim.Run();

        Assert.Equal(500, done["hardirq"]);
        Assert.Equal(1_200, done["thread:app"]);
        Assert.Equal(200, cpu.BusyNs(HardIrq));
        Assert.Equal(1_000, cpu.BusyNs(Thread));
        Assert.Equal(1_000, thread.RunTimeNs);
    }

    [Fact]
    public void Items_of_one_class_run_first_come_first_served_without_preempting_each_other()
    {
        var (sim, cpu, done) = NewCpu();
        cpu.Submit(Item(sim, done, "a", Thread), 100);
        cpu.Submit(Item(sim, done, "b", Thread), 100);
        sim.Schedule(50, _ => cpu.Submit(Item(sim, done, "c", Thread), 10));
        sim.Run();

        Assert.Equal(100, done["a"]);
        Assert.Equal(200, done["b"]);
        Assert.Equal(210, done["c"]);
    }

    [Fact]
    public void A_speed_factor_stretches_work_and_a_change_replans_the_running_item()
    {
        var (sim, cpu, done) = NewCpu();
        cpu.SpeedFactor = 0.5;
        cpu.Submit(Item(sim, done, "slow", Thread), 1_000);
        sim.Run();
        Assert.Equal(2_000, done["slow"]);

        cpu.Submit(Item(sim, done, "ramp", Thread), 1_000);
        sim.Schedule(sim.NowNs + 500, _ => cpu.SpeedFactor = 1.0);
        sim.Run();

        // 500 ns at half speed did 250 ns of work; the other 750 ns run at full speed.
        Assert.Equal(2_000 + 500 + 750, done["ramp"]);
    }

    [Fact]
    public void A_completion_callback_that_resubmits_its_item_keeps_the_cpu()
    {
        var (sim, cpu, done) = NewCpu();
        int bursts = 0;
        var worker = new WorkItem("thread:worker", Thread, item =>
        {
            if (++bursts < 3)
            {
                cpu.Submit(item, 100);
            }
        });
        var rival = Item(sim, done, "thread:rival", Thread);
        cpu.Submit(worker, 100);
        cpu.Submit(rival, 100);
        sim.Run();

        Assert.Equal(3, bursts);
        Assert.Equal(400, done["thread:rival"]);
    }

    [Fact]
    public void Withdraw_takes_an_item_off_and_returns_its_remaining_work()
    {
        var (sim, cpu, done) = NewCpu();
        WorkItem thread = Item(sim, done, "thread:t", Thread);
        cpu.Submit(thread, 1_000);
        long remaining = -1;
        sim.Schedule(400, _ => remaining = cpu.Withdraw(thread));
        sim.Run();

        Assert.Equal(600, remaining);
        Assert.Equal(WorkState.Idle, thread.State);
        Assert.False(done.ContainsKey("thread:t"));
        Assert.Throws<InvalidOperationException>(() => cpu.Withdraw(thread));

        cpu.Submit(thread, remaining);
        sim.Run();
        Assert.Equal(1_000, done["thread:t"]);
    }

    [Fact]
    public void Submitting_an_item_twice_is_refused()
    {
        var (sim, cpu, done) = NewCpu();
        WorkItem thread = Item(sim, done, "thread:t", Thread);
        cpu.Submit(thread, 10);
        Assert.Throws<InvalidOperationException>(() => cpu.Submit(thread, 10));
        Assert.Throws<ArgumentException>(() => cpu.Submit(new WorkItem("x", 7), 10));
    }

    [Fact]
    public void A_nested_processor_stops_while_its_outer_item_is_preempted()
    {
        var sim = new Simulator(1);
        var host = new Processor(sim, "host/cpu1", 1, 2);
        var vcpuThread = new WorkItem("thread:vcpu0", 1);
        var guest = new Processor(sim, "guest/vcpu0", 0, 2, gate: vcpuThread);
        host.Submit(vcpuThread, WorkItem.Unbounded);
        long guestDone = -1;
        guest.Submit(new WorkItem("softirq:NET_RX", 0, _ => guestDone = sim.NowNs), 1_000);
        sim.Schedule(200, _ => host.Submit(new WorkItem("hardirq:timer", 0), 300));
        sim.Run();

        Assert.Equal(1_300, guestDone);
        Assert.Equal(1_000, guest.TotalBusyNs);
    }

    [Fact]
    public void A_nested_processor_runs_at_its_hosts_speed()
    {
        var sim = new Simulator(1);
        var host = new Processor(sim, "host/cpu1", 1, 2) { SpeedFactor = 0.5 };
        var vcpuThread = new WorkItem("thread:vcpu0", 1);
        var guest = new Processor(sim, "guest/vcpu0", 0, 1, gate: vcpuThread);
        host.Submit(vcpuThread, WorkItem.Unbounded);
        long guestDone = -1;
        guest.Submit(new WorkItem("app", 0, _ => guestDone = sim.NowNs), 1_000);
        sim.Schedule(1_000, _ => host.SpeedFactor = 1.0);
        sim.Run();

        // 1000 ns at half speed did 500 ns of guest work; the rest at full speed.
        Assert.Equal(1_500, guestDone);
    }

    [Fact]
    public void A_guest_timer_that_expires_while_the_vcpu_is_off_cpu_fires_when_it_runs_again()
    {
        var sim = new Simulator(1);
        var host = new Processor(sim, "host/cpu1", 1, 2);
        var vcpuThread = new WorkItem("thread:vcpu0", 1);
        var guest = new Processor(sim, "guest/vcpu0", 0, 2, gate: vcpuThread);
        host.Submit(vcpuThread, WorkItem.Unbounded);
        var fired = new List<(long Arg, long AtNs)>();
        guest.ScheduleTimer(250, a => fired.Add((a, sim.NowNs)), 1);
        guest.ScheduleTimer(260, a => fired.Add((a, sim.NowNs)), 2);
        TimerHandle cancelled = guest.ScheduleTimer(270, a => fired.Add((a, sim.NowNs)), 3);
        guest.ScheduleTimer(900, a => fired.Add((a, sim.NowNs)), 4);
        sim.Schedule(200, _ => host.Submit(new WorkItem("thread:migration/1", 0), 300));
        sim.Schedule(280, _ =>
        {
            Assert.Equal(3, guest.HeldTimerCount);
            Assert.True(guest.CancelTimer(cancelled));
        });
        sim.Run(untilNs: 10_000);

        Assert.Equal([(1L, 500L), (2L, 500L), (4L, 900L)], fired);
        Assert.False(guest.CancelTimer(cancelled));
    }

    [Fact]
    public void Only_one_observer_may_watch_a_work_item()
    {
        var sim = new Simulator(1);
        var vcpuThread = new WorkItem("thread:vcpu0", 1);
        _ = new Processor(sim, "guest/vcpu0", 0, 1, gate: vcpuThread);
        Assert.Throws<ArgumentException>(() => new Processor(sim, "guest/vcpu0b", 0, 1, gate: vcpuThread));
    }

    [Fact]
    public void Processor_traces_begin_and_end_of_each_running_segment()
    {
        var trace = new RecordingTraceSink();
        var sim = new Simulator(1, trace);
        var cpu = new Processor(sim, "host/cpu0", 0, 2);
        cpu.Submit(new WorkItem("thread:t", 1) { PacketId = 7 }, 100);
        sim.Schedule(40, _ => cpu.Submit(new WorkItem("hardirq", 0), 10));
        sim.Run();

        Assert.Equal([(0L, 40L), (50L, 110L)], trace.Segments("host/cpu0", "thread:t"));
        Assert.Equal([(40L, 50L)], trace.Segments("host/cpu0", "hardirq"));
        Assert.All(trace.Events.Where(e => e.Context == "thread:t"), e => Assert.Equal(7, e.PacketId));
    }
}
