using Kbp.Sim.Events;

namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// A periodic device interrupt (e.g. a disk controller such as the paper's ata_piix): a
/// hardIRQ of the configured length that may raise a softIRQ (BLOCK), which then competes
/// with NET_RX in __do_softirq.
/// </summary>
public sealed class InterferenceIrq
{
    private readonly KernelCpu _cpu;
    private readonly InterferenceOptions _options;
    private readonly Random _random;
    private readonly EventCallback _onFire;
    private readonly Action _onHandled;

    /// <summary>Creates the source and schedules its first interrupt.</summary>
    public InterferenceIrq(KernelCpu cpu, InterferenceOptions options)
    {
        _cpu = cpu;
        _options = options;
        _random = cpu.Kernel.Sim.Random.For($"{cpu.Kernel.Name}/interference/{options.Name}");
        _onFire = OnFire;
        _onHandled = OnHandled;
        cpu.Processor.ScheduleTimer(cpu.Kernel.Sim.NowNs + (long)(options.PeriodNs * _random.NextDouble()), _onFire);
    }

    private void OnFire(long unused)
    {
        double factor = 1.0 + (_options.Jitter * ((2 * _random.NextDouble()) - 1));
        _cpu.Processor.ScheduleTimer(_cpu.Kernel.Sim.NowNs + Math.Max(1, (long)(_options.PeriodNs * factor)), _onFire);
        _cpu.HardIrq.Raise(_options.Name, _options.BurstNs, _onHandled);
    }

    private void OnHandled()
    {
        if (_options.RaisesSoftirq is { } vector)
        {
            _cpu.Softirq.RaiseIrqOff(vector);
        }
    }
}
