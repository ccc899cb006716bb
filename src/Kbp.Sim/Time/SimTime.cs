namespace Kbp.Sim.Time;

/// <summary>
/// Simulated time is a <see cref="long"/> count of nanoseconds since the start of a run.
/// There is no floating-point time anywhere in the engine: equal times compare equal on
/// every platform, which is what makes runs reproducible.
/// </summary>
public static class SimTime
{
    /// <summary>Nanoseconds in one microsecond.</summary>
    public const long NsPerUs = 1_000;

    /// <summary>Nanoseconds in one millisecond.</summary>
    public const long NsPerMs = 1_000_000;

    /// <summary>Nanoseconds in one second.</summary>
    public const long NsPerS = 1_000_000_000;

    /// <summary>Converts microseconds to nanoseconds.</summary>
    public static long FromUs(long us) => checked(us * NsPerUs);

    /// <summary>Converts milliseconds to nanoseconds.</summary>
    public static long FromMs(long ms) => checked(ms * NsPerMs);

    /// <summary>Converts seconds to nanoseconds.</summary>
    public static long FromS(long s) => checked(s * NsPerS);

    /// <summary>
    /// Formats a duration with the largest unit that keeps it readable
    /// (<c>850ns</c>, <c>2.20us</c>, <c>3.6ms</c>, <c>60s</c>).
    /// </summary>
    public static string Format(long ns)
    {
        long magnitude = Math.Abs(ns);
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (magnitude < NsPerUs)
        {
            return ns.ToString(invariant) + "ns";
        }

        if (magnitude < NsPerMs)
        {
            return (ns / (double)NsPerUs).ToString("0.##", invariant) + "us";
        }

        if (magnitude < NsPerS)
        {
            return (ns / (double)NsPerMs).ToString("0.###", invariant) + "ms";
        }

        return (ns / (double)NsPerS).ToString("0.###", invariant) + "s";
    }
}
