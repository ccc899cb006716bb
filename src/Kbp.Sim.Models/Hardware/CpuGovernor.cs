using Kbp.Sim.Events;
using Kbp.Sim.Processing;
using Kbp.Sim.Time;

namespace Kbp.Sim.Models.Hardware;

/// <summary>A cpufreq governor.</summary>
public enum GovernorPolicy
{
    /// <summary><c>performance</c>: always the highest frequency (the paper's tuned testbeds).</summary>
    Performance,

    /// <summary><c>ondemand</c>: samples the load and picks a frequency (drivers/cpufreq/cpufreq_ondemand.c).</summary>
    Ondemand,
}

/// <summary>A cpufreq governor's parameters (sysfs <c>/sys/devices/system/cpu/cpufreq/ondemand/*</c>).</summary>
public sealed record CpuGovernorOptions
{
    /// <summary>The governor [Ondemand; the paper names it as a cause of tail latency].</summary>
    public GovernorPolicy Policy { get; init; } = GovernorPolicy.Ondemand;

    /// <summary>
    /// <c>sampling_rate</c> [8 ms]: <c>CPUFREQ_DBS_MIN_SAMPLING_INTERVAL</c> = 2 ticks =
    /// 8 ms at HZ=250 (cpufreq_governor.h); the kernel takes the larger of it and the
    /// driver's transition delay (<c>cpufreq_policy_transition_delay_us</c>: latency ×
    /// 1000, at most 10 ms), so acpi-cpufreq parts often sample every 10 ms.
    /// </summary>
    public long SamplingPeriodNs { get; init; } = 8 * SimTime.NsPerMs;

    /// <summary>
    /// <c>up_threshold</c> in percent [80: <c>DEF_FREQUENCY_UP_THRESHOLD</c>]. Above it
    /// the governor jumps to the highest frequency. With idle micro-accounting
    /// (NO_HZ kernels, as both reference configs are) <c>od_init</c> uses
    /// <c>MICRO_FREQUENCY_UP_THRESHOLD</c> = 95 instead; set 95 to model that.
    /// </summary>
    public int UpThresholdPercent { get; init; } = 80;

    /// <summary>
    /// Lowest speed factor, <c>cpuinfo.min_freq / cpuinfo.max_freq</c> [0.6 = 1.2 / 2.0 GHz:
    /// an assumption for the paper's Xeon E5-2660 v4 (2.0 GHz nominal; its lowest P-state
    /// was not reported); turbo is ignored, 1.0 is the nominal frequency].
    /// </summary>
    public double MinSpeedFactor { get; init; } = 0.6;

    /// <summary>Speed factor when the governor starts [1.0].</summary>
    public double InitialSpeedFactor { get; init; } = 1.0;

    /// <summary>Checks the values; throws <see cref="ArgumentOutOfRangeException"/> for impossible ones.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SamplingPeriodNs);
        ArgumentOutOfRangeException.ThrowIfLessThan(UpThresholdPercent, 11);   // MIN_FREQUENCY_UP_THRESHOLD
        ArgumentOutOfRangeException.ThrowIfGreaterThan(UpThresholdPercent, 100); // MAX_FREQUENCY_UP_THRESHOLD
        if (!(MinSpeedFactor > 0) || MinSpeedFactor > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinSpeedFactor), MinSpeedFactor, "must be in (0, 1]");
        }

        if (!(InitialSpeedFactor >= MinSpeedFactor) || InitialSpeedFactor > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(InitialSpeedFactor), InitialSpeedFactor, "must be in [MinSpeedFactor, 1]");
        }

        if (!Enum.IsDefined(Policy))
        {
            throw new ArgumentOutOfRangeException(nameof(Policy), Policy, "unknown governor");
        }
    }
}

/// <summary>
/// Sets the <see cref="Processor.SpeedFactor"/> of the CPUs of one cpufreq policy.
/// <c>performance</c> pins it at 1.0. <c>ondemand</c> is <c>od_update</c>: every
/// sampling period it measures the busy fraction since the last sample (the largest
/// among the policy's CPUs, as <c>dbs_update</c> does), jumps to the highest frequency
/// when it exceeds <c>up_threshold</c>, and otherwise picks
/// <c>min_f + load · (max_f − min_f) / 100</c>.
/// </summary>
/// <remarks>
/// Simplified: (1) frequencies are continuous; the kernel rounds to the nearest P-state
/// (<c>CPUFREQ_RELATION_C</c>) and the change takes the driver's transition latency.
/// (2) Sampling is a fixed timer; since 4.7 the kernel evaluates from scheduler
/// utilization callbacks once the period has passed, so a CPU idle in NO_HZ keeps its
/// frequency until it next wakes. (3) <c>sampling_down_factor</c> (default 1),
/// <c>powersave_bias</c> (0) and <c>io_is_busy</c> are left at their defaults, i.e. have
/// no effect. The slower speed shows up in the processors' work times (it is not yet
/// attributed to a wait cause of its own).
/// </remarks>
public sealed class CpuGovernor
{
    private readonly Simulator _sim;
    private readonly Processor[] _cpus;
    private readonly long[] _lastBusyNs;
    private readonly CpuGovernorOptions _options;
    private readonly EventCallback _onSample;
    private long _lastSampleNs;
    private EventHandle _nextSample;

    /// <summary>Creates a governor for the CPUs of one policy; <see cref="Start"/> applies it.</summary>
    /// <param name="sim">The simulator.</param>
    /// <param name="options">The governor and its tunables.</param>
    /// <param name="cpus">The policy's CPUs (usually one).</param>
    public CpuGovernor(Simulator sim, CpuGovernorOptions options, params Processor[] cpus)
    {
        ArgumentNullException.ThrowIfNull(sim);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cpus);
        ArgumentOutOfRangeException.ThrowIfZero(cpus.Length);
        options.Validate();
        _sim = sim;
        _options = options;
        _cpus = (Processor[])cpus.Clone();
        _lastBusyNs = new long[cpus.Length];
        _onSample = OnSample;
    }

    /// <summary>The governor's tunables.</summary>
    public CpuGovernorOptions Options => _options;

    /// <summary>The speed factor last set.</summary>
    public double SpeedFactor { get; private set; } = 1.0;

    /// <summary>The load, in percent, of the last sample.</summary>
    public double LastLoadPercent { get; private set; }

    /// <summary>Samples taken.</summary>
    public long Samples { get; private set; }

    /// <summary>Applies the governor now: sets the speed and, for ondemand, starts sampling.</summary>
    public void Start()
    {
        if (_options.Policy == GovernorPolicy.Performance)
        {
            SetSpeed(1.0);
            return;
        }

        SetSpeed(_options.InitialSpeedFactor);
        _lastSampleNs = _sim.NowNs;
        for (int i = 0; i < _cpus.Length; i++)
        {
            _lastBusyNs[i] = _cpus[i].TotalBusyNs;
        }

        _nextSample = _sim.ScheduleAfter(_options.SamplingPeriodNs, _onSample);
    }

    /// <summary>Stops sampling; the speed stays where it is.</summary>
    public void Stop()
    {
        _sim.Cancel(_nextSample);
        _nextSample = default;
    }

    /// <summary><c>dbs_update</c> then <c>od_update</c>.</summary>
    private void OnSample(long unused)
    {
        long nowNs = _sim.NowNs;
        long wallNs = nowNs - _lastSampleNs;
        _lastSampleNs = nowNs;
        long busiestNs = 0;
        for (int i = 0; i < _cpus.Length; i++)
        {
            long busyNs = _cpus[i].TotalBusyNs;
            busiestNs = Math.Max(busiestNs, busyNs - _lastBusyNs[i]);
            _lastBusyNs[i] = busyNs;
        }

        // dbs_update: load = 100 · (wall − idle) / wall, an integer percentage.
        long load = wallNs == 0 ? 0 : 100 * busiestNs / wallNs;
        LastLoadPercent = load;
        Samples++;
        if (load > _options.UpThresholdPercent)
        {
            // dbs_freq_increase(policy, policy->max)
            SetSpeed(1.0);
        }
        else
        {
            // freq_next = min_f + load * (max_f - min_f) / 100
            SetSpeed(_options.MinSpeedFactor + (load * (1.0 - _options.MinSpeedFactor) / 100));
        }

        _nextSample = _sim.ScheduleAfter(_options.SamplingPeriodNs, _onSample);
    }

    private void SetSpeed(double speedFactor)
    {
        SpeedFactor = speedFactor;
        foreach (Processor cpu in _cpus)
        {
            if (cpu.SpeedFactor != speedFactor)
            {
                cpu.SpeedFactor = speedFactor;
            }
        }
    }
}
