using System.Text.Json;
using Kbp.Sim.Cli;

namespace Kbp.Sim.Tests.Explaining;

/// <summary>kbp-sim trace: Chrome trace-event JSON, checked against the format.</summary>
public class TraceTests
{
    /// <summary>
    /// The trace-event format (JSON Object Format): a "traceEvents" array; every event has a
    /// phase, a name, integer pid and tid; every event but metadata has a timestamp in µs;
    /// complete events have a non-negative duration; begin/end pairs (none are written)
    /// would balance per track; slices on one track are ordered and nest; flows have an id
    /// and run start, steps, finish in time order; counters carry numeric arguments.
    /// </summary>
    internal static void AssertValidTrace(JsonElement root)
    {
        JsonElement events = root.GetProperty("traceEvents");
        Assert.Equal(JsonValueKind.Array, events.ValueKind);
        var open = new Dictionary<(int, int), int>();
        var slices = new Dictionary<(int, int), List<(double Ts, double End)>>();
        var flows = new Dictionary<long, List<(string Ph, double Ts)>>();
        double lastTs = double.MinValue;
        foreach (JsonElement e in events.EnumerateArray())
        {
            string ph = e.GetProperty("ph").GetString()!;
            Assert.False(string.IsNullOrEmpty(e.GetProperty("name").GetString()));
            int pid = e.GetProperty("pid").GetInt32();
            int tid = e.GetProperty("tid").GetInt32();
            Assert.Contains(ph, new[] { "M", "X", "B", "E", "i", "C", "s", "t", "f" });
            if (ph == "M")
            {
                Assert.Equal(JsonValueKind.Object, e.GetProperty("args").ValueKind);
                continue;
            }

            double ts = e.GetProperty("ts").GetDouble();
            Assert.True(ts >= 0);
            Assert.True(ts >= lastTs, $"events out of time order at ts {ts}");
            lastTs = ts;
            var track = (pid, tid);
            switch (ph)
            {
                case "X":
                    double dur = e.GetProperty("dur").GetDouble();
                    Assert.True(dur >= 0, $"negative duration at {ts}");
                    if (!slices.TryGetValue(track, out var list))
                    {
                        slices[track] = list = new();
                    }

                    list.Add((ts, ts + dur));
                    break;
                case "B":
                    open[track] = open.GetValueOrDefault(track) + 1;
                    break;
                case "E":
                    open[track] = open.GetValueOrDefault(track) - 1;
                    Assert.True(open[track] >= 0, "an end without a begin");
                    break;
                case "C":
                    foreach (JsonProperty arg in e.GetProperty("args").EnumerateObject())
                    {
                        Assert.Equal(JsonValueKind.Number, arg.Value.ValueKind);
                    }

                    break;
                case "s" or "t" or "f":
                    long id = e.GetProperty("id").GetInt64();
                    if (!flows.TryGetValue(id, out var steps))
                    {
                        flows[id] = steps = new();
                    }

                    steps.Add((ph, ts));
                    break;
            }
        }

        Assert.All(open.Values, n => Assert.Equal(0, n));
        foreach (((int pid, int tid), List<(double Ts, double End)> list) in slices)
        {
            // Ordered by start; each slice ends before the next starts, or contains it (nesting).
            var stack = new Stack<double>();
            foreach ((double ts, double end) in list)
            {
                while (stack.Count > 0 && stack.Peek() <= ts + 1e-6)
                {
                    stack.Pop();
                }

                Assert.True(stack.Count == 0 || end <= stack.Peek() + 1e-6, $"slices overlap on track {pid}/{tid} at {ts}");
                stack.Push(end);
            }
        }

        foreach ((long id, List<(string Ph, double Ts)> steps) in flows)
        {
            Assert.Equal("s", steps[0].Ph);
            Assert.Equal("f", steps[^1].Ph);
            Assert.All(steps.Skip(1).SkipLast(1), s => Assert.Equal("t", s.Ph));
        }
    }

    [Fact]
    public void A_trace_of_a_window_is_valid_trace_event_JSON_with_CPU_tracks_vectors_counters_and_flows()
    {
        string file = Path.Combine(Repo.TempDir(), "trace.json");
        (int code, string output, string error) = Repo.Cli("trace", Repo.Teaching("ksoftirqd-starved"), "--duration", "100ms", "--from", "30ms", "--to", "40ms", "--out", file);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Empty(error);
        Assert.Contains(file, output, StringComparison.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(file));
        AssertValidTrace(doc.RootElement);
        var events = doc.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        string[] names = events.Where(e => e.GetProperty("ph").GetString() == "M" && e.GetProperty("name").GetString() is "process_name" or "thread_name")
            .Select(e => e.GetProperty("args").GetProperty("name").GetString()!).ToArray();
        Assert.Contains("host", names);
        Assert.Contains("guest", names);
        Assert.Contains("vcpu0", names);
        Assert.Contains("vcpu0 softIRQ vectors", names);
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("name").GetString() == "NET_RX");
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("name").GetString() == "ksoftirqd/0");
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("cat").GetString() == "hardIRQ");
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("name").GetString() == "vhost-net");
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "C" && e.GetProperty("name").GetString() == "virtio Rx used");
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "s");
        Assert.All(events.Where(e => e.GetProperty("ph").GetString() != "M"), e =>
        {
            double ts = e.GetProperty("ts").GetDouble();
            Assert.InRange(ts, 30_000, 40_000);
        });
    }

    [Fact]
    public void Without_a_window_the_trace_is_around_the_slowest_frame()
    {
        string file = Path.Combine(Repo.TempDir(), "worst.json");
        (int code, string output, _) = Repo.Cli("trace", Repo.Teaching("vcpu-preemption"), "--duration", "60ms", "--out", file);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("slowest frame", output, StringComparison.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(file));
        AssertValidTrace(doc.RootElement);
        Assert.Contains(doc.RootElement.GetProperty("traceEvents").EnumerateArray(), e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("name").GetString() == "host-rt-hog");
    }

    [Theory]
    [InlineData("--from", "40ms", "--to", "30ms")]
    [InlineData("--from", "10ms", "--to", "200ms")]
    [InlineData("--from", "ten", "--to", "20ms")]
    [InlineData("--to", "20ms", "--to", "20ms")]
    [InlineData("--from", "10s", "--to", "10.001s")]
    public void A_bad_window_is_one_line_exit_2_and_no_file(string o1, string v1, string o2, string v2)
    {
        string file = Path.Combine(Repo.TempDir(), "bad.json");
        (int code, string output, string error) = Repo.Cli("trace", Repo.Teaching("vcpu-preemption"), "--duration", "20ms", o1, v1, o2, v2, "--out", file);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(file));
    }

    [Fact]
    public void An_unwritable_out_is_one_line_and_exit_2()
    {
        string file = Path.Combine(Repo.TempDir(), "no-such-dir", "t.json");
        (int code, _, string error) = Repo.Cli("trace", Repo.Teaching("vcpu-preemption"), "--duration", "20ms", "--from", "12ms", "--to", "13ms", "--out", file);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(file));
    }
}
