using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kbp.Sim.Processing;
using Kbp.Sim.Randomness;
using Kbp.Sim.Tracing;

namespace Kbp.Sim.Tests.Engine;

/// <summary>Invariants of the preemptive-resume processor under random load.</summary>
public class ProcessorProperties
{
    private sealed record Job(long ArrivalNs, long WorkNs, int Class, WorkItem Item)
    {
        public long CompletedNs { get; set; } = -1;
    }

    private static List<Job> RandomJobs(Simulator sim, Processor cpu, ulong seed, int count, string prefix)
    {
        var rng = new RandomStream(seed);
        var jobs = new List<Job>();
        for (int i = 0; i < count; i++)
        {
            Job? job = null;
            var item = new WorkItem($"{prefix}{i}", rng.Next(cpu.ClassCount), _ => job!.CompletedNs = sim.NowNs);
            job = new Job(rng.NextInt64(20_000), 1 + rng.NextInt64(2_000), item.PriorityClass, item);
            jobs.Add(job);
            sim.Schedule(job.ArrivalNs, _ => cpu.Submit(job.Item, job.WorkNs));
        }

        return jobs;
    }

    /// <summary>Work-conserving and never running a less urgent class while a more urgent one waits.</summary>
    private static bool PriorityInvariantHolds(Processor cpu)
    {
        int waiting = cpu.HighestReadyClass;
        if (cpu.Current is null)
        {
            return waiting == -1 || !cpu.IsGateOpen;
        }

        return waiting == -1 || waiting >= cpu.Current.PriorityClass;
    }

    [Property]
    public Property Processor_conserves_work_at_nominal_speed(ulong seed, PositiveInt count)
    {
        var sim = new Simulator(seed);
        var cpu = new Processor(sim, "cpu0", 0, 4);
        List<Job> jobs = RandomJobs(sim, cpu, seed, Math.Min(count.Get, 60), "job");
        sim.Run();

        bool allDone = jobs.All(j => j.CompletedNs >= j.ArrivalNs + j.WorkNs);
        bool conserved = cpu.TotalBusyNs == jobs.Sum(j => j.WorkNs);
        bool perItem = jobs.All(j => j.Item.RunTimeNs == j.WorkNs);
        return (allDone && conserved && perItem).Label($"busy {cpu.TotalBusyNs}, work {jobs.Sum(j => j.WorkNs)}");
    }

    [Property]
    public Property Processor_conserves_work_at_any_speed(ulong seed, PositiveInt count, PositiveInt speedPercent)
    {
        var trace = new RecordingTraceSink();
        var sim = new Simulator(seed, trace);
        var cpu = new Processor(sim, "cpu0", 0, 3) { SpeedFactor = 0.25 + (speedPercent.Get % 400 / 100.0) };
        List<Job> jobs = RandomJobs(sim, cpu, seed, Math.Min(count.Get, 40), "job");
        sim.Run();

        // Each running segment may end up to 1 ns late (completions land on whole ns).
        double ideal = jobs.Sum(j => j.WorkNs / cpu.SpeedFactor);
        int segments = trace.Events.Count(e => e.Kind == TraceKind.Begin);
        bool conserved = cpu.TotalBusyNs >= ideal - 1e-6 && cpu.TotalBusyNs <= ideal + segments;
        bool noneEarly = jobs.All(j => j.CompletedNs >= j.ArrivalNs + (long)Math.Floor(j.WorkNs / cpu.SpeedFactor));
        return (conserved && noneEarly).Label($"busy {cpu.TotalBusyNs}, ideal {ideal}, segments {segments}");
    }

    [Property]
    public bool Preemption_never_lets_a_less_urgent_class_run_while_a_more_urgent_one_waits(ulong seed, PositiveInt count)
    {
        var sim = new Simulator(seed);
        var cpu = new Processor(sim, "cpu0", 0, 4);
        RandomJobs(sim, cpu, seed, Math.Min(count.Get, 60), "job");
        bool violated = false;
        sim.Run(stopWhen: () => violated = !PriorityInvariantHolds(cpu));
        return !violated && sim.PendingCount == 0;
    }

    [Property]
    public Property Nested_processor_progresses_only_while_its_outer_item_runs(ulong seed, PositiveInt hostLoad, PositiveInt guestLoad)
    {
        var trace = new RecordingTraceSink();
        var sim = new Simulator(seed, trace);
        var host = new Processor(sim, "host/cpu1", 1, 3);
        var vcpuThread = new WorkItem("thread:vcpu0", 2);
        var guest = new Processor(sim, "guest/vcpu0", 0, 2, gate: vcpuThread);
        host.Submit(vcpuThread, WorkItem.Unbounded);
        RandomJobs(sim, host, seed, Math.Min(hostLoad.Get, 40), "host");
        List<Job> guestJobs = RandomJobs(sim, guest, seed ^ 0x5555, Math.Min(guestLoad.Get, 40), "guest");

        var timerFiredWhileClosed = false;
        var timerRng = new RandomStream(seed + 1);
        for (int i = 0; i < 20; i++)
        {
            guest.ScheduleTimer(timerRng.NextInt64(30_000), _ => timerFiredWhileClosed |= !guest.IsGateOpen);
        }

        bool violated = false;
        sim.Run(untilNs: 1_000_000_000, stopWhen: () => violated = !PriorityInvariantHolds(host) || !PriorityInvariantHolds(guest));

        List<(long BeginNs, long EndNs)> vcpuRuns = trace.Segments("host/cpu1", "thread:vcpu0");
        bool contained = trace.Events
            .Where(e => e.Processor == "guest/vcpu0")
            .Select(e => e.Context)
            .Distinct()
            .SelectMany(context => trace.Segments("guest/vcpu0", context))
            .All(g => vcpuRuns.Any(v => v.BeginNs <= g.BeginNs && g.EndNs <= v.EndNs));
        bool guestConserved = guest.TotalBusyNs == guestJobs.Sum(j => j.WorkNs)
            && guestJobs.All(j => j.CompletedNs >= j.ArrivalNs + j.WorkNs);
        return (!violated && contained && guestConserved && !timerFiredWhileClosed)
            .Label($"violated {violated}, contained {contained}, conserved {guestConserved}, timer {timerFiredWhileClosed}");
    }
}
