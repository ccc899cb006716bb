namespace Kbp.Sim.Statistics;

/// <summary>A named event count (packets dropped at a ring, softirq restarts, ...).</summary>
public sealed class Counter
{
    /// <summary>Creates a counter at zero.</summary>
    public Counter(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>What is counted.</summary>
    public string Name { get; }

    /// <summary>The count so far.</summary>
    public long Value { get; private set; }

    /// <summary>Adds one.</summary>
    public void Increment() => Value++;

    /// <summary>Adds <paramref name="amount"/>, which must not be negative.</summary>
    public void Add(long amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        Value += amount;
    }
}
