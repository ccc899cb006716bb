namespace Kbp.Sim.Statistics;

/// <summary>
/// A level that holds between changes (ring occupancy, run-queue length), averaged over
/// time rather than over samples. Constant memory whatever the run length.
/// </summary>
public sealed class TimeWeightedGauge
{
    private readonly long _startNs;
    private long _lastChangeNs;
    private double _integral;

    /// <summary>Creates a gauge holding <paramref name="initialValue"/> from <paramref name="startNs"/>.</summary>
    public TimeWeightedGauge(string name, long startNs = 0, double initialValue = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        _startNs = startNs;
        _lastChangeNs = startNs;
        Current = initialValue;
        Max = initialValue;
        Min = initialValue;
    }

    /// <summary>What is measured.</summary>
    public string Name { get; }

    /// <summary>The level now.</summary>
    public double Current { get; private set; }

    /// <summary>The highest level held.</summary>
    public double Max { get; private set; }

    /// <summary>The lowest level held.</summary>
    public double Min { get; private set; }

    /// <summary>Sets the level from <paramref name="nowNs"/> on.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When time runs backwards.</exception>
    public void Set(long nowNs, double value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nowNs, _lastChangeNs);
        _integral += Current * (nowNs - _lastChangeNs);
        _lastChangeNs = nowNs;
        Current = value;
        Max = Math.Max(Max, value);
        Min = Math.Min(Min, value);
    }

    /// <summary>The time-weighted mean from creation to <paramref name="nowNs"/>.</summary>
    public double Mean(long nowNs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nowNs, _lastChangeNs);
        long span = nowNs - _startNs;
        if (span == 0)
        {
            return Current;
        }

        return (_integral + (Current * (nowNs - _lastChangeNs))) / span;
    }
}
