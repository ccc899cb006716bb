using Kbp.Sim.Models.Scenarios;

namespace Kbp.Sim.Tests.Scenarios;

/// <summary>
/// The bad-input corpus (BadInput/): every file must be refused with a ScenarioException whose
/// message is one line naming the file, the key path (when there is one) and what went wrong.
/// </summary>
public class BadInputTests
{
    /// <summary>File, the key path the message must name (null: a whole-file problem), a phrase it must contain.</summary>
    public static readonly TheoryData<string, string?, string> Corpus = new()
    {
        { "unknown-key.yaml", "colour", "unknown key 'colour' (allowed here: name, description, profile, topology, datapath," },
        { "unknown-section.json", "trafic", "unknown key 'trafic' (allowed here:" },
        { "misspelled-nested-key.yaml", "traffic.rat", "unknown key 'traffic.rat' (allowed here: mode, rate, rateLayer, frameSize, pattern," },
        { "misspelled-list-item-key.yaml", "interference.host.0.peroid", "(allowed here: name, cpu, policy, priority, period, burst, jitter, kind, softirq, bound, wakeup)" },
        { "wrong-unit.yaml", "traffic.duration", "value '60kg' is invalid: expected a duration such as 60s, 4ms or 2.2us (unknown unit 'kg'" },
        { "bare-number-duration.yaml", "traffic.warmup", "value '100' is invalid: expected a duration such as 60s, 4ms or 2.2us (a bare number is ambiguous" },
        { "negative-rate.yaml", "traffic.rate", "value '-5Mbps' is invalid: expected a positive rate such as 80Mbps or 1Gbps" },
        { "zero-rate.yaml", "traffic.rate", "value '0Gbps' is invalid: expected a positive rate" },
        { "ring-size-zero.yaml", "nic.rxRing", "value '0' is invalid: expected an integer from 64 to 4096" },
        { "ring-size-5000.yaml", "nic.txRing", "value '5000' is invalid: expected an integer from 64 to 4096" },
        { "queue-size-not-power-of-two.yaml", "virtio.queueSize", "value '300' is invalid: expected a power of two from 64 to 1024" },
        { "frame-too-small.yaml", "traffic.frameSize", "value '60B' is invalid: expected a size from 64B to 9018B" },
        { "malformed.yaml", null, "malformed YAML at line 5" },
        { "unclosed-list.yaml", null, "malformed YAML" },
        { "tab-indentation.yaml", null, "malformed YAML at line 4" },
        { "duplicate-key.yaml", null, "key 'traffic.Rate' is given twice (second time at line 6" },
        { "top-level-list.yaml", null, "expected keys at the top level (such as 'topology: vm'), found a list" },
        { "malformed.json", null, "malformed JSON at line 4" },
        { "unknown-topology.yaml", "topology", "value 'bare-metal' is invalid: expected one of vm, docker, kubernetes-pod" },
        { "unknown-datapath.yaml", "datapath", "value 'dpdk' is invalid: expected one of napi, kbp, ovs-dpdk" },
        { "vcpucpus-length-mismatch.yaml", "host.vcpuCpus", "keys 'host.vcpuCpus' and 'guest.vcpus': host.vcpuCpus lists 3 host CPUs (4,5,6) but guest.vcpus is 4" },
        { "cpu-out-of-range.yaml", "host.vhostCpu", "keys 'host.vhostCpu' and 'host.cpus': CPU 40 is out of range: host.cpus is 28, so host CPUs are 0-27" },
        { "guest-cpu-out-of-range.yaml", "guest.appCpu", "keys 'guest.appCpu' and 'guest.vcpus': CPU 3 is out of range" },
        { "missing-traffic-rate.yaml", "traffic.rate", "key 'traffic.rate' is required: expected a positive rate such as 80Mbps or 1Gbps" },
        { "load-above-line-rate.yaml", "traffic.rate", "keys 'traffic.rate' and 'nic.rate': offered load exceeds line rate" },
        { "kbp-without-cpus.json", "host.kbp.cpus", "datapath is kbp but host.kbp.cpus is empty" },
        { "ovs-dpdk-without-pmd-cpus.yaml", "host.ovs.pmdCpus", "datapath is ovs-dpdk but host.ovs.pmdCpus is empty" },
        { "container-with-ovs-dpdk.yaml", "datapath", "datapath ovs-dpdk needs topology vm" },
        { "ovs-burst-above-32.yaml", "host.ovs.burst", "value '64' is invalid: expected an integer from 1 to 32" },
        { "burst-exceeds-period.yaml", "interference.guest.0.burst", "burst 2ms exceeds period 1ms" },
        { "value-where-section-belongs.yaml", "traffic", "key 'traffic': value '1Gbps' is invalid: expected a section with keys such as mode, rate," },
        { "profile-missing.yaml", "profile", "key 'profile': value '../Profiles/no-such-profile.yaml' is invalid: expected a calibration profile file" },
        { "unknown-extension.txt", null, "unknown file type '.txt': scenario and profile files end in .yaml, .yml or .json" },
        { "empty.yaml", null, "the file is empty" },
        { "empty.json", null, "the file is empty" },
        { "comments-only.yml", null, "the file is empty" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Each_bad_file_gives_one_line_naming_the_file_the_key_and_the_problem(string file, string? keyPath, string phrase)
    {
        string path = ScenarioTestFiles.PathOf("BadInput", file);
        Assert.True(File.Exists(path), $"corpus file {path} is missing");

        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path, null, []));

        Assert.DoesNotContain('\n', e.OneLine);
        Assert.DoesNotContain('\r', e.OneLine);
        Assert.Equal(e.Message, e.OneLine);
        Assert.StartsWith(path + ": ", e.OneLine);
        Assert.Contains(phrase, e.OneLine);
        if (keyPath is not null)
        {
            Assert.Contains($"'{keyPath}'", e.OneLine);
            Assert.Equal(keyPath, e.Errors[0].KeyPath);
        }

        Assert.All(e.Errors, error => Assert.DoesNotContain('\n', error.Line));
    }

    [Fact]
    public void Every_file_of_the_corpus_is_in_the_table()
    {
        var inTable = Corpus.Select(row => row.Data.Item1).ToHashSet();
        var onDisk = Directory.GetFiles(ScenarioTestFiles.PathOf("BadInput")).Select(f => Path.GetFileName(f)!).ToHashSet();

        Assert.True(onDisk.Count >= 18, $"the corpus has only {onDisk.Count} files");
        Assert.Equal(onDisk.Order(), inTable.Order());
    }

    [Fact]
    public void A_missing_scenario_file_is_named()
    {
        string path = ScenarioTestFiles.PathOf("BadInput", "does-not-exist.yaml");

        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path, null, []));

        Assert.Equal($"{path}: file not found", e.OneLine);
    }

    [Fact]
    public void A_directory_is_not_a_scenario_file()
    {
        using var dir = new TempFolder();
        string path = Path.Combine(dir.Path, "folder.yaml");
        Directory.CreateDirectory(path);

        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path, null, []));

        Assert.Equal($"{path}: is a directory, not a file", e.OneLine);
    }

    [Fact]
    public void Multi_line_values_are_shown_on_one_line()
    {
        using var dir = new TempFolder();
        string path = dir.Write("s.yaml", "topology: vm\ndatapath: |\n  napi\n  kbp\ntraffic: { rate: 1Gbps, frameSize: 1518B }\n");

        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path, null, []));

        Assert.Contains(@"value 'napi\nkbp\n' is invalid: expected one of napi, kbp", e.OneLine);
    }
}
