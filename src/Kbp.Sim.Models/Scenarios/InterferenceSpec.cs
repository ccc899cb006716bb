using Kbp.Sim.Models.Kernel;

namespace Kbp.Sim.Models.Scenarios;

/// <summary>Background load on each machine (<c>interference:</c>).</summary>
public sealed record InterferenceSpec
{
    /// <summary>Load sources on host CPUs (<c>interference.host</c>).</summary>
    public required IReadOnlyList<InterferenceSourceSpec> Host { get; init; }

    /// <summary>Load sources on guest vCPUs (<c>interference.guest</c>).</summary>
    public required IReadOnlyList<InterferenceSourceSpec> Guest { get; init; }

    internal static InterferenceSpec Bind(ScenarioReader r) => new()
    {
        Host = r.Items("host").Select(item => InterferenceSourceSpec.Bind(item, HostSpec.MaxCpus - 1)).ToArray(),
        Guest = r.Items("guest").Select(item => InterferenceSourceSpec.Bind(item, GuestSpec.MaxVcpus - 1)).ToArray(),
    };
}

/// <summary>
/// One periodic load source: every <see cref="PeriodNs"/> (shifted by a uniform jitter) it
/// wants <see cref="BurstNs"/> of CPU time on <see cref="Cpu"/>, as a thread or as a hardIRQ.
/// </summary>
public sealed record InterferenceSourceSpec
{
    /// <summary>A label for traces and causes, such as <c>kworker/3</c> (<c>name</c>, required).</summary>
    public required string Name { get; init; }

    /// <summary>The CPU it runs on (<c>cpu</c>, required).</summary>
    public required int Cpu { get; init; }

    /// <summary>Scheduling policy of a thread (<c>policy</c>).</summary>
    public required SchedPolicy Policy { get; init; }

    /// <summary>Real-time priority, 1..99 for fifo and rr, 0 for fair (<c>priority</c>).</summary>
    public required int Priority { get; init; }

    /// <summary>The period (<c>period</c>, required, positive).</summary>
    public required long PeriodNs { get; init; }

    /// <summary>CPU time wanted per period (<c>burst</c>, required, positive, at most the period).</summary>
    public required long BurstNs { get; init; }

    /// <summary>Uniform jitter of each start, in percent of the period, 0..100 (<c>jitter</c>).</summary>
    public required double JitterPercent { get; init; }

    /// <summary>Thread or hardIRQ (<c>kind</c>).</summary>
    public required InterferenceKind Kind { get; init; }

    /// <summary>The softIRQ an IRQ source raises (<c>softirq</c>, irq only).</summary>
    public required SoftirqRaise Softirq { get; init; }

    /// <summary>
    /// True for a per-CPU kernel thread or an interrupt, which stays on its CPU even when
    /// that CPU is in <c>host.isolcpus</c>; false for an unbound daemon, which the
    /// scheduler keeps off isolated CPUs and which wakes on its CPU only when that CPU is
    /// idle (<see cref="Kernel.InterferenceOptions.Unbound"/>) (<c>bound</c>, default true).
    /// </summary>
    public required bool Bound { get; init; }

    /// <summary>
    /// How a thread's sleep ends (<c>wakeup</c>): <c>timer-wheel</c> for kernel workers
    /// (jiffy-aligned, from the TIMER softIRQ), <c>hrtimer</c> for user daemons (exact
    /// time, from the timer hardIRQ); default timer-wheel.
    /// </summary>
    public required InterferenceWakeup Wakeup { get; init; }

    internal static InterferenceSourceSpec Bind(ScenarioReader r, int maxCpu)
    {
        string name = r.String("name");
        int cpu = r.Int("cpu", 0, maxCpu);
        SchedPolicy policy = r.Enum<SchedPolicy>("policy", SchedPolicy.Fair);
        int priority = r.Int("priority", 0, 99, policy == SchedPolicy.Fair ? 0 : 50);
        return new InterferenceSourceSpec
        {
            Name = name,
            Cpu = cpu,
            Policy = policy,
            Priority = priority,
            PeriodNs = r.Duration("period", minNs: 1),
            BurstNs = r.Duration("burst", minNs: 1),
            JitterPercent = r.Percent("jitter", 0, 100, 0),
            Kind = r.Enum<InterferenceKind>("kind", InterferenceKind.Thread),
            Softirq = r.Enum<SoftirqRaise>("softirq", SoftirqRaise.None),
            Bound = r.Bool("bound", true),
            Wakeup = r.Enum<InterferenceWakeup>("wakeup", InterferenceWakeup.TimerWheel),
        };
    }

    /// <summary>The checks between this source's own keys; <paramref name="at"/> is its dotted path.</summary>
    internal void Check(ScenarioReader root, string at)
    {
        if (Policy != SchedPolicy.Fair && Priority == 0)
        {
            root.Conflict($"{at}.priority", $"{at}.policy", $"policy {ScenarioReader.KebabName(Policy.ToString())} needs a priority from 1 to 99");
        }

        if (Policy == SchedPolicy.Fair && Priority != 0)
        {
            root.Conflict($"{at}.priority", $"{at}.policy", $"priority {Priority} only applies to policy fifo or rr; with fair leave it out or set 0");
        }

        if (BurstNs > PeriodNs)
        {
            root.Conflict($"{at}.burst", $"{at}.period", $"burst {Units.FormatDuration(BurstNs)} exceeds period {Units.FormatDuration(PeriodNs)}: the CPU time per period cannot exceed the period");
        }

        if (Kind == InterferenceKind.Thread && Softirq != SoftirqRaise.None)
        {
            root.Conflict($"{at}.softirq", $"{at}.kind", $"softirq {ScenarioReader.KebabName(Softirq.ToString())} is only raised by kind irq, not by a thread");
        }
    }
}
