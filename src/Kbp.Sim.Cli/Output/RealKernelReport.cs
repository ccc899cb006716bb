using System.Globalization;
using System.Text.Json;
using Kbp.Sim.Cli.Commands;
using Kbp.Sim.Statistics;

namespace Kbp.Sim.Cli.Output;

/// <summary>The real-kernel comparison as a table and as JSON: per configuration and statistic, measured, simulated (µs) and simulated / measured.</summary>
internal static class RealKernelReport
{
    private static readonly (string Name, string Key, double Percentile)[] Statistics =
        [("p50", "p50Us", 50), ("p99", "p99Us", 99), ("p99.9", "p999Us", 99.9), ("max", "maxUs", 100)];

    public static void WriteTable(TextWriter w, HarnessResults harness, IReadOnlyList<RealKernelRow> rows)
    {
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"real kernel {harness.Kernel}: sockperf ping-pong {harness.RateMps} msg/s, {harness.SizeBytes} B, client CPU {harness.ClientCpu}, server CPU {harness.ServerCpu}; round trip in us"));
        w.WriteLine("configuration         stat    measured   simulated   sim/meas");
        foreach (RealKernelRow row in rows)
        {
            foreach ((string name, _, double percentile) in Statistics)
            {
                double measured = Measured(row.Measured, name);
                double simulated = SimulatedUs(row.Simulated.Latency, percentile);
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{row.Measured.Name,-21} {name,-6} {measured,10:0.0} {simulated,11:0.0} {Ratio(simulated, measured),10}"));
            }
        }
    }

    public static void WriteJson(TextWriter w, string resultsPath, HarnessResults harness, TraceCostCalibration? calibration, IReadOnlyList<RealKernelRow> rows)
    {
        using var stream = new MemoryStream();
        using (var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            j.WriteStartObject();
            j.WriteString("results", resultsPath);
            j.WriteString("kernel", harness.Kernel);
            j.WriteNumber("rateMps", harness.RateMps);
            j.WriteNumber("sizeBytes", harness.SizeBytes);
            if (calibration is null)
            {
                j.WriteNull("calibration");
            }
            else
            {
                j.WriteStartObject("calibration");
                j.WriteString("trace", calibration.TracePath);
                j.WriteNumber("netRxRuns", calibration.Runs);
                j.WriteNumber("netRxPerFrameP50Ns", calibration.NetRxPerFrameP50Ns);
                j.WriteNumber("napiPollPerPacketNs", calibration.NapiPollPerPacketNs);
                j.WriteEndObject();
            }

            j.WriteStartObject("configs");
            foreach (RealKernelRow row in rows)
            {
                j.WriteStartObject(row.Measured.Name);
                j.WriteString("scenario", row.ScenarioPath);
                j.WriteNumber("measuredSamples", row.Measured.Samples);
                j.WriteNumber("simulatedSamples", row.Simulated.Latency.Count);
                foreach (string part in new[] { "measured", "simulated", "ratio" })
                {
                    j.WriteStartObject(part);
                    foreach ((string name, string key, double percentile) in Statistics)
                    {
                        double measured = Measured(row.Measured, name);
                        double simulated = SimulatedUs(row.Simulated.Latency, percentile);
                        double value = part switch { "measured" => measured, "simulated" => simulated, _ => measured > 0 ? simulated / measured : double.NaN };
                        if (double.IsFinite(value))
                        {
                            j.WriteNumber(key, Math.Round(value, 3));
                        }
                        else
                        {
                            j.WriteNull(key);
                        }
                    }

                    j.WriteEndObject();
                }

                j.WriteEndObject();
            }

            j.WriteEndObject();
            j.WriteEndObject();
        }

        w.Write(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        w.WriteLine();
    }

    private static double Measured(HarnessConfig c, string statistic) => statistic switch
    {
        "p50" => c.P50Us,
        "p99" => c.P99Us,
        "p99.9" => c.P999Us,
        _ => c.MaxUs,
    };

    private static double SimulatedUs(LatencyRecorder latency, double percentile) => latency.PercentileNs(percentile) / 1000.0;

    private static string Ratio(double simulated, double measured) =>
        measured > 0 ? (simulated / measured).ToString("0.00", CultureInfo.InvariantCulture) : "-";
}
