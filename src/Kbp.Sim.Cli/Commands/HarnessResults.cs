using System.Text.Json;

namespace Kbp.Sim.Cli.Commands;

/// <summary>One configuration of a real-kernel harness run: its measured round trips, µs, and its trace file if one was recorded.</summary>
/// <param name="Name">The configuration (idle, contention, threaded-napi...).</param>
/// <param name="P50Us">Median round trip.</param>
/// <param name="P99Us">99th percentile.</param>
/// <param name="P999Us">99.9th percentile.</param>
/// <param name="MaxUs">Largest round trip.</param>
/// <param name="Samples">Observations sockperf counted.</param>
/// <param name="TracePath">The full path of its trace, or null.</param>
internal sealed record HarnessConfig(string Name, double P50Us, double P99Us, double P999Us, double MaxUs, long Samples, string? TracePath);

/// <summary>
/// A results.json of tests/real-kernel/harness.sh: the run's parameters (message rate and
/// size, client and server CPUs) and its configurations, in file order.
/// </summary>
internal sealed record HarnessResults(string Kernel, int RateMps, int SizeBytes, int ClientCpu, int ServerCpu, IReadOnlyList<HarnessConfig> Configs)
{
    /// <summary>Reads <paramref name="path"/>; a problem is one line naming the file and the key.</summary>
    public static HarnessResults? Read(string path, out string? problem)
    {
        problem = null;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement root = doc.RootElement;
            string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("configs", out JsonElement configs) || configs.ValueKind != JsonValueKind.Object)
            {
                problem = $"{path}: key 'configs' is missing: expected an object of configurations as harness.sh writes it";
                return null;
            }

            var list = new List<HarnessConfig>();
            foreach (JsonProperty c in configs.EnumerateObject())
            {
                string? trace = c.Value.TryGetProperty("trace", out JsonElement t) && t.ValueKind == JsonValueKind.String ? Path.Combine(dir, t.GetString()!) : null;
                list.Add(new HarnessConfig(
                    c.Name,
                    Number(c.Value, $"configs.{c.Name}.p50Us"),
                    Number(c.Value, $"configs.{c.Name}.p99Us"),
                    Number(c.Value, $"configs.{c.Name}.p999Us"),
                    Number(c.Value, $"configs.{c.Name}.maxUs"),
                    (long)Number(c.Value, $"configs.{c.Name}.samples"),
                    trace));
            }

            if (list.Count == 0)
            {
                problem = $"{path}: key 'configs' is empty: expected at least one configuration such as idle";
                return null;
            }

            string kernel = root.TryGetProperty("kernel", out JsonElement k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : "unknown";
            return new HarnessResults(
                kernel,
                (int)Number(root, "rateMps"),
                (int)Number(root, "sizeBytes"),
                (int)Number(root, "clientCpu"),
                (int)Number(root, "serverCpu"),
                list);
        }
        catch (JsonException e)
        {
            problem = $"{path}: not valid JSON: {e.Message.ReplaceLineEndings(" ")}";
        }
        catch (MissingKeyException e)
        {
            problem = $"{path}: key '{e.Key}' is missing or not a number: expected a number as harness.sh writes it";
        }
        catch (IOException e)
        {
            problem = $"{path}: cannot read: {e.Message}";
        }

        return null;
    }

    private static double Number(JsonElement parent, string keyPath)
    {
        string key = keyPath[(keyPath.LastIndexOf('.') + 1)..];
        return parent.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && double.IsFinite(d) && d >= 0
            ? d
            : throw new MissingKeyException(keyPath);
    }

    private sealed class MissingKeyException(string key) : Exception(key)
    {
        public string Key { get; } = key;
    }
}
