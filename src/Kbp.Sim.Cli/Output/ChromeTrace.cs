using System.Text.Json;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Explaining;

namespace Kbp.Sim.Cli.Output;

/// <summary>
/// Chrome trace-event JSON (the JSON Object Format; opens in ui.perfetto.dev and
/// chrome://tracing) of a recorded window: a process per machine (host, guest) with a track
/// per CPU (what ran: hardIRQ, softIRQ sections, threads) and one per CPU for the softIRQ
/// vectors; counters for the queues on the path; a "packets" process with one track per
/// traced frame (its stages) and flow arrows from stage to stage through the CPUs that
/// moved it. Only complete ("X") slices are written, clipped to the window, so begin/end
/// balance holds by construction; events are ordered by time.
/// </summary>
internal static class ChromeTrace
{
    private const int HostPid = 1;
    private const int GuestPid = 2;
    private const int PacketsPid = 3;
    private const int NicTid = 100_000;

    /// <summary>Writes the window [<paramref name="fromNs"/>, <paramref name="toNs"/>] of <paramref name="timeline"/> with <paramref name="frames"/>' journeys.</summary>
    public static void Write(TextWriter writer, TimelineRecorder timeline, long fromNs, long toNs, IReadOnlyList<FrameLog> frames, string title)
    {
        var events = new List<(double Ts, int Order, Action<Utf8JsonWriter> Write)>();
        var tracks = new SortedDictionary<(int Pid, int Tid), string>();

        void Slice(int pid, int tid, string name, string cat, long start, long end, Action<Utf8JsonWriter>? args = null)
        {
            long s = Math.Max(start, fromNs);
            long e = Math.Min(end, toNs);
            if (e < s)
            {
                return;
            }

            Action<Utf8JsonWriter> write = w =>
            {
                w.WriteStartObject();
                w.WriteString("ph", "X");
                w.WriteString("name", name);
                w.WriteString("cat", cat);
                w.WriteNumber("pid", pid);
                w.WriteNumber("tid", tid);
                w.WriteNumber("ts", Us(s));
                w.WriteNumber("dur", Us(e) - Us(s));
                if (args is not null)
                {
                    w.WriteStartObject("args");
                    args(w);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            };
            events.Add((Us(s), 1, write));
        }

        foreach (TimelineSlice s in timeline.Slices)
        {
            (int pid, int tid) = Track(s.Processor, s.Cpu, vectors: false, tracks);
            Slice(pid, tid, WaitWords.NameOf(s), WaitWords.ClassWords(s.PriorityClass), s.StartNs, s.EndNs, w => w.WriteString("context", s.Context));
        }

        foreach (TimelineSlice s in timeline.Vectors)
        {
            (int pid, int tid) = Track(s.Processor, s.Cpu, vectors: true, tracks);
            Slice(pid, tid, s.Context["softirq:".Length..], "softirq vector", s.StartNs, s.EndNs);
        }

        foreach (TimelineMark m in timeline.Marks)
        {
            if (m.TimeNs < fromNs || m.TimeNs > toNs || m.Context.StartsWith("irq:", StringComparison.Ordinal))
            {
                continue;
            }

            (int pid, int tid) = Track(m.Processor, m.Cpu, vectors: false, tracks);
            Action<Utf8JsonWriter> write = w =>
            {
                w.WriteStartObject();
                w.WriteString("ph", "i");
                w.WriteString("s", "t");
                w.WriteString("name", m.Context);
                w.WriteString("cat", "mark");
                w.WriteNumber("pid", pid);
                w.WriteNumber("tid", tid);
                w.WriteNumber("ts", Us(m.TimeNs));
                w.WriteStartObject("args");
                if (m.Cause is not null)
                {
                    w.WriteString("cause", m.Cause);
                }

                if (m.PacketId >= 0)
                {
                    w.WriteNumber("frame", m.PacketId);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            };
            events.Add((Us(m.TimeNs), 2, write));
        }

        foreach (CounterSample c in timeline.Counters)
        {
            if (c.TimeNs < fromNs || c.TimeNs > toNs)
            {
                continue;
            }

            int pid = c.Process == "guest" ? GuestPid : HostPid;
            Action<Utf8JsonWriter> write = w =>
            {
                w.WriteStartObject();
                w.WriteString("ph", "C");
                w.WriteString("name", c.Name);
                w.WriteNumber("pid", pid);
                w.WriteNumber("tid", 0);
                w.WriteNumber("ts", Us(c.TimeNs));
                w.WriteStartObject("args");
                w.WriteNumber("value", c.Value);
                w.WriteEndObject();
                w.WriteEndObject();
            };
            events.Add((Us(c.TimeNs), 0, write));
        }

        int flowId = 0;
        foreach (FrameLog frame in frames)
        {
            int tid = (int)Math.Min(int.MaxValue - 1, frame.Packet.Id);
            tracks[(PacketsPid, tid)] = $"frame {frame.Packet.Id}";
            List<ProbePass> probes = StageNames.Path.Select(p => frame.Probes.FindLastIndex(x => x.Probe == p)).Where(i => i >= 0).Select(i => frame.Probes[i]).ToList();
            for (int i = 0; i + 1 < probes.Count; i++)
            {
                ProbePass a = probes[i];
                ProbePass b = probes[i + 1];
                var waits = frame.Waits.Where(w => w.Stage == a.Probe).GroupBy(w => w.Cause).Select(g => (g.Key, Ns: g.Sum(w => w.DelayNs))).Where(x => x.Ns > 0).ToList();
                Slice(PacketsPid, tid, StageNames.Stage(a.Probe, b.Probe), "packet", a.AtNs, b.AtNs, w =>
                {
                    w.WriteNumber("frame", frame.Packet.Id);
                    foreach ((var cause, long ns) in waits)
                    {
                        w.WriteNumber(JsonNamingPolicy.CamelCase.ConvertName(cause.ToString()) + "Ns", ns);
                    }
                });
            }

            // A flow: from the frame's own track, through each CPU that took it to a probe, back.
            var steps = new List<(int Pid, int Tid, long AtNs, bool OnCpu)>();
            foreach (ProbePass p in probes)
            {
                if (p.AtNs < fromNs || p.AtNs > toNs || (steps.Count > 0 && steps[^1].AtNs == p.AtNs))
                {
                    // Outside the window, or at the same instant as the previous step.
                    continue;
                }

                if (p.Processor is not null && timeline.Slices.Any(s => s.Processor == p.Processor && s.EndNs == p.AtNs && s.EndNs > s.StartNs))
                {
                    TimelineSlice cpu = timeline.Slices.First(s => s.Processor == p.Processor && s.EndNs == p.AtNs && s.EndNs > s.StartNs);
                    (int pid, int cpuTid) = Track(cpu.Processor, cpu.Cpu, vectors: false, tracks);
                    steps.Add((pid, cpuTid, p.AtNs, true));
                }
                else
                {
                    steps.Add((PacketsPid, tid, p.AtNs, false));
                }
            }

            if (steps.Count >= 2)
            {
                int id = ++flowId;
                double previous = double.MinValue;
                for (int i = 0; i < steps.Count; i++)
                {
                    (int pid, int stepTid, long at, bool onCpu) = steps[i];
                    string ph = i == 0 ? "s" : i == steps.Count - 1 ? "f" : "t";

                    // Bind inside the CPU slice that ended at the probe (the step that moved
                    // the frame), or inside the frame's stage slice that starts there.
                    bool last = i == steps.Count - 1;
                    double ts = Math.Max(previous, onCpu || last ? Math.Max(Us(fromNs), Us(at) - 0.0005) : Us(at));
                    previous = ts;
                    Action<Utf8JsonWriter> write = w =>
                    {
                        w.WriteStartObject();
                        w.WriteString("ph", ph);
                        w.WriteNumber("id", id);
                        w.WriteString("name", $"frame {frame.Packet.Id}");
                        w.WriteString("cat", "packet");
                        w.WriteNumber("pid", pid);
                        w.WriteNumber("tid", stepTid);
                        w.WriteNumber("ts", ts);
                        if (ph == "f")
                        {
                            w.WriteString("bp", "e");
                        }

                        w.WriteEndObject();
                    };
                    events.Add((ts, 3, write));
                }
            }
        }

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("displayTimeUnit", "ns");
            json.WriteStartObject("otherData");
            json.WriteString("title", title);
            json.WriteNumber("fromNs", fromNs);
            json.WriteNumber("toNs", toNs);
            json.WriteEndObject();
            json.WriteStartArray("traceEvents");
            Meta(json, HostPid, 0, "process_name", "host");
            Meta(json, GuestPid, 0, "process_name", "guest");
            Meta(json, PacketsPid, 0, "process_name", "packets");
            foreach (((int pid, int tid), string name) in tracks)
            {
                Meta(json, pid, tid, "thread_name", name);
                json.WriteStartObject();
                json.WriteString("ph", "M");
                json.WriteString("name", "thread_sort_index");
                json.WriteNumber("pid", pid);
                json.WriteNumber("tid", tid);
                json.WriteStartObject("args");
                json.WriteNumber("sort_index", tid);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            foreach (var e in events.OrderBy(e => e.Ts).ThenBy(e => e.Order))
            {
                e.Write(json);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        writer.Write(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        writer.WriteLine();
    }

    /// <summary>The (pid, tid) of a processor's track: host/cpuN and guest/vcpuN get tid 2N, their vector lanes 2N+1.</summary>
    private static (int Pid, int Tid) Track(string processor, int cpu, bool vectors, SortedDictionary<(int, int), string> tracks)
    {
        int pid = processor.StartsWith("guest/", StringComparison.Ordinal) ? GuestPid : HostPid;
        if (cpu < 0 || !processor.Contains('/', StringComparison.Ordinal))
        {
            tracks[(HostPid, NicTid)] = "NIC";
            return (HostPid, NicTid);
        }

        int tid = (2 * cpu) + (vectors ? 1 : 0);
        string cpuName = processor[(processor.IndexOf('/', StringComparison.Ordinal) + 1)..];
        tracks[(pid, tid)] = vectors ? $"{cpuName} softIRQ vectors" : cpuName;
        return (pid, tid);
    }

    private static void Meta(Utf8JsonWriter json, int pid, int tid, string what, string name)
    {
        json.WriteStartObject();
        json.WriteString("ph", "M");
        json.WriteString("name", what);
        json.WriteNumber("pid", pid);
        json.WriteNumber("tid", tid);
        json.WriteStartObject("args");
        json.WriteString("name", name);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static double Us(long ns) => Math.Round(ns / 1000.0, 3);
}
