using System.Globalization;

namespace Kbp.Sim.Models.Calibration;

/// <summary>Which kernel of a scenario a trace was taken in.</summary>
public enum TraceSide
{
    /// <summary>The guest (costs.guest.*).</summary>
    Guest,

    /// <summary>The host (costs.host.*).</summary>
    Host,
}

/// <summary>
/// Writes what a trace calibration found as a calibration profile (YAML) that scenarios load
/// with <c>--profile</c>: the per-frame NET_RX cost as <c>napiPollPerPacket</c> (the trace
/// cannot split it, so the other half of the receive path, <c>udpReceive</c> in a guest or
/// <c>tapForward</c> on a host, is set to 0) and the fixed cost of a NET_RX run as
/// <c>softirqEntry</c>, at the traced machine's clock.
/// </summary>
public static class CalibrationProfile
{
    /// <summary>Writes the profile; throws when the trace gave no per-frame cost.</summary>
    public static void Write(TextWriter w, TraceCalibrationResult result, TraceSide side, double clockHz, string source)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(result);
        if (result.PerPacketNs is not double perPacket)
        {
            throw new InvalidOperationException("the trace gave no per-frame cost (NET_RX runs with different frame counts are needed)");
        }

        string key = side == TraceSide.Guest ? "guest" : "host";
        string other = side == TraceSide.Guest ? "udpReceive" : "tapForward";
        w.WriteLine($"# Calibration profile derived by 'kbp-sim calibrate --ftrace {source}'.");
        w.WriteLine(FormattableString.Invariant($"# {result.Runs} NET_RX runs; per-frame cost = slope of run time against frames (R² {result.RSquared:0.000})."));
        w.WriteLine("# Keys not given here keep the built-in defaults (docs/scenarios.md).");
        w.WriteLine("costs:");
        w.WriteLine(FormattableString.Invariant($"  referenceClock: {clockHz / 1e9:0.###}GHz"));
        w.WriteLine($"  {key}:");
        w.WriteLine($"    napiPollPerPacket: {Micro(perPacket)}");
        w.WriteLine($"    {other}: 0us");
        if (result.PerRunNs is double perRun && perRun > 0)
        {
            w.WriteLine($"    softirqEntry: {Micro(perRun)}");
        }
    }

    private static string Micro(double ns) => (Math.Max(0, ns) / 1_000).ToString("0.###", CultureInfo.InvariantCulture) + "us";
}
