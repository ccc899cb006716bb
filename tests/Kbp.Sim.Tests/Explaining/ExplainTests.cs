using System.Text.Json;
using Kbp.Sim.Cli;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Explaining;
using Kbp.Sim.Models.Packets;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Tests.Explaining;

/// <summary>kbp-sim explain: the journey of the slowest frames, from what the model recorded.</summary>
public class ExplainTests
{
    private static readonly WaitCause[] SoftirqCauses = [WaitCause.PollList, WaitCause.SoftirqDeferred, WaitCause.SoftirqCompetition];

    [Fact]
    public void The_tail_of_vm_napi_1Gbps_1518B_is_softirq_work_and_every_frame_s_stages_add_up_to_its_round_trip()
    {
        VmSpec spec = Repo.Vm(Repo.File("scenarios", "paper", "vm-napi-1gbps-1518b.yaml"), "traffic.duration=300ms", "traffic.repetitions=1");
        IReadOnlyList<FrameRef> worst = Explainer.FindSlowest(spec, 1, 1, 5);
        Explanation e = Explainer.Explain(spec, 1, worst);

        Assert.Equal(5, e.Journeys.Count);
        foreach (PacketJourney j in e.Journeys)
        {
            Assert.Equal(j.Frame.RttNs, j.Stages.Sum(s => s.DurationNs));
            Assert.Equal(j.Frame.SentNs, j.Stages[0].StartNs);
            Assert.Equal(j.Frame.ReceivedNs, j.Stages[^1].EndNs);
            Assert.All(j.Stages, s => Assert.True(s.WaitedNs <= s.DurationNs, $"{s.Name}: waited {s.WaitedNs} of {s.DurationNs}"));
            Assert.All(j.Stages.SelectMany(s => s.Waits), w => Assert.StartsWith("waited ", w.Sentence, StringComparison.Ordinal));
        }

        // Beside the NIC's own waits (moderation, ring, serialization), the largest share of
        // the tail's waiting is a softIRQ mechanism, and it is named in words.
        WaitCause[] nic = [WaitCause.InterruptModeration, WaitCause.RingQueueing, WaitCause.NicSerialization];
        CauseShare top = e.Shares.First(s => s.Cause is { } c && !nic.Contains(c));
        Assert.Contains(top.Cause!.Value, SoftirqCauses);
        Assert.Equal(1.0, e.Shares.Sum(s => s.Share), 6);
        Assert.Contains(e.Journeys.SelectMany(j => j.Stages).SelectMany(s => s.Waits), w => SoftirqCauses.Contains(w.Cause) && w.Sentence.Contains("poll", StringComparison.Ordinal));
    }

    [Fact]
    public void The_recorded_rerun_reproduces_the_frames_of_the_ordinary_run()
    {
        VmSpec spec = Repo.Vm(Repo.Teaching("vcpu-preemption"), "traffic.duration=60ms");
        var backs = new Dictionary<long, long>();
        LatencyRun.RunOne(spec, LatencyRun.RepetitionSeed(1, 0), (p, at) => backs[p.Id] = at);
        FrameRef frame = Explainer.FindSlowest(spec, 1, 1, 1)[0];

        Recording r = Explainer.Record(spec, 1, 0, [(frame.SentNs, frame.ReceivedNs)], p => true, frame.ReceivedNs + 1);
        Assert.Equal(backs[frame.Id], frame.ReceivedNs);
        foreach (FrameLog log in r.Journeys.Logs.Values.Where(l => l.ReceivedNs >= 0 && backs.ContainsKey(l.Packet.Id)))
        {
            Assert.Equal(backs[log.Packet.Id], log.ReceivedNs);
        }
    }

    [Fact]
    public void Explain_prints_the_journey_and_the_tail_by_cause_and_writes_JSON()
    {
        string dir = Repo.TempDir();
        string json = Path.Combine(dir, "explain.json");
        (int code, string output, string error) = Repo.Cli("explain", Repo.Teaching("vcpu-preemption"), "--duration", "100ms", "--worst", "2", "--around", "200us", "--json", json);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Empty(error);
        Assert.Contains("= round trip", output, StringComparison.Ordinal);
        Assert.Contains("VcpuStopped", output, StringComparison.Ordinal);
        Assert.Contains("'host-rt-hog' (RT", output, StringComparison.Ordinal);
        Assert.Contains("timeline of frame", output, StringComparison.Ordinal);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement frames = doc.RootElement.GetProperty("frames");
        Assert.Equal(2, frames.GetArrayLength());
        foreach (JsonElement f in frames.EnumerateArray())
        {
            long sum = f.GetProperty("stages").EnumerateArray().Sum(s => s.GetProperty("durationNs").GetInt64());
            Assert.Equal(f.GetProperty("rttNs").GetInt64(), sum);
        }

        Assert.True(doc.RootElement.GetProperty("shares").GetArrayLength() > 0);
    }

    [Theory]
    [InlineData("--worst", "0")]
    [InlineData("--worst", "many")]
    [InlineData("--packet", "-3")]
    [InlineData("--around", "-1ms")]
    [InlineData("--around", "5")]
    public void A_bad_option_is_one_line_and_exit_2(string option, string value)
    {
        (int code, string output, string error) = Repo.Cli("explain", Repo.Teaching("vcpu-preemption"), "--duration", "20ms", option, value);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void An_unknown_packet_id_is_one_line_and_exit_2_and_no_JSON()
    {
        string json = Path.Combine(Repo.TempDir(), "e.json");
        (int code, string output, string error) = Repo.Cli("explain", Repo.Teaching("vcpu-preemption"), "--duration", "20ms", "--packet", "99999999", "--json", json);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Contains("frame 99999999", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void Worst_and_packet_together_are_refused()
    {
        (int code, _, string error) = Repo.Cli("explain", Repo.Teaching("vcpu-preemption"), "--worst", "2", "--packet", "5");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void A_packet_by_id_is_explained()
    {
        (int code, string output, string error) = Repo.Cli("explain", Repo.Teaching("vcpu-preemption"), "--duration", "20ms", "--packet", "500");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Empty(error);
        Assert.Contains("frame 500 (repetition 0)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_works_on_a_container_scenario()
    {
        string file = Repo.File("scenarios", "paper", "container-napi-docker-100mbps-1518b.yaml");
        (int code, string output, string error) = Repo.Cli("explain", file, "--duration", "20ms", "--worst", "1");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Empty(error);
        Assert.Contains("= round trip", output, StringComparison.Ordinal);
    }
}
