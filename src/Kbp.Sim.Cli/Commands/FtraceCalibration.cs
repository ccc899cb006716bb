using System.Globalization;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Models.Calibration;
using Kbp.Sim.Models.Scenarios;

namespace Kbp.Sim.Cli.Commands;

/// <summary>
/// <c>kbp-sim calibrate --ftrace FILE [--out PROFILE] [--side guest|host] [--clock F]</c>:
/// per-stage distributions from a kernel trace, and a calibration profile from them.
/// </summary>
internal static class FtraceCalibration
{
    public static int Run(string path, string? outPath, string sideText, string clockText, TextWriter output, TextWriter error)
    {
        if (!File.Exists(path))
        {
            error.WriteLine($"kbp-sim: --ftrace: file '{path}' does not exist");
            return ExitCodes.BadInput;
        }

        if (sideText is not ("guest" or "host"))
        {
            error.WriteLine($"kbp-sim: --side must be guest or host, got '{sideText}'");
            return ExitCodes.BadInput;
        }

        if (!Units.TryParseFrequencyHz(clockText, out double clockHz, out _) || clockHz <= 0)
        {
            error.WriteLine($"kbp-sim: --clock must be a frequency such as 2.0GHz, got '{clockText}'");
            return ExitCodes.BadInput;
        }

        if (OutputPaths.Problem(outPath) is string pathProblem)
        {
            error.WriteLine($"kbp-sim: {pathProblem}");
            return ExitCodes.BadInput;
        }

        FtraceTrace trace;
        using (var reader = new StreamReader(path))
        {
            trace = FtraceParser.Parse(reader);
        }

        foreach (FtraceProblem p in trace.Problems.Take(20))
        {
            error.WriteLine($"kbp-sim: warning: {path}:{p.Line}: {p.Problem} (skipped)");
        }

        TraceCalibrationResult result = TraceCalibration.Derive(trace);
        if (!result.HasAnything)
        {
            error.WriteLine($"kbp-sim: {path}: nothing usable: no NET_RX softirq, napi_poll or ksoftirqd wakeup events among {trace.Events.Count:N0} events ({trace.Problems.Count:N0} malformed lines skipped)");
            return ExitCodes.BadInput;
        }

        output.WriteLine($"calibrate: {path}: {trace.Events.Count:N0} events, {trace.Problems.Count:N0} malformed line(s) skipped");
        output.WriteLine("quantity                           n       mean        p50        p90        p99        max  log-normal fit (mu, sigma; KS distance)");
        foreach (FittedDistribution? d in new[] { result.RaiseToEntryNs, result.NetRxPerPacketNs, result.NapiBatch, result.KsoftirqdWakeToRunNs })
        {
            if (d is null)
            {
                continue;
            }

            string fit = d.LogMu is double mu ? FormattableString.Invariant($"{mu:0.###}, {d.LogSigma:0.###}; {d.KsDistance:0.###}") : "-";
            output.WriteLine(FormattableString.Invariant($"{d.Name,-30} {d.Count,6} {d.Mean,10:0.#} {d.P50,10:0.#} {d.P90,10:0.#} {d.P99,10:0.#} {d.Max,10:0.#}  {fit}"));
        }

        if (result.PerPacketNs is double slope)
        {
            string r2 = result.RSquared is double r && double.IsFinite(r) ? r.ToString("0.000", CultureInfo.InvariantCulture) : "-";
            output.WriteLine(FormattableString.Invariant($"NET_RX run time = {result.PerRunNs:0} ns + {slope:0} ns x frames (least squares over {result.Runs} runs, R² {r2})"));
        }

        if (outPath is not null)
        {
            if (result.PerPacketNs is null)
            {
                error.WriteLine($"kbp-sim: {path}: no per-frame cost to write a profile from (NET_RX runs with different frame counts are needed)");
                return ExitCodes.BadInput;
            }

            TraceSide side = sideText == "guest" ? TraceSide.Guest : TraceSide.Host;
            AtomicFile.Write(outPath, w => CalibrationProfile.Write(w, result, side, clockHz, Path.GetFileName(path)));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"profile -> {outPath} (use with --profile)"));
        }

        return ExitCodes.Ok;
    }
}
