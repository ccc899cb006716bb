using Kbp.Sim.Models.Scenarios;

namespace Kbp.Sim.Tests.Scenarios;

/// <summary>defaults &lt; profile &lt; scenario &lt; --set, and which input a message names.</summary>
public sealed class LayeringTests : IDisposable
{
    private const string Profile = """
        traffic:
          duration: 10s
          warmup: 1s
        costs:
          host:
            hardirq: 3us
        host:
          isolcpus: [8-11]
          vcpuCpus: [12, 13, 14, 15]
        """;

    private const string Scenario = """
        profile: profiles/p.yaml
        topology: vm
        datapath: napi
        traffic:
          rate: 1Gbps
          frameSize: 1518B
          duration: 20s
        host:
          isolcpus: [3]
        """;

    private readonly TempFolder _dir = new();

    public LayeringTests()
    {
        _dir.Write("profiles/p.yaml", Profile);
        _dir.Write("s.yaml", Scenario);
    }

    public void Dispose() => _dir.Dispose();

    private string ScenarioPath => Path.Combine(_dir.Path, "s.yaml");

    [Fact]
    public void The_scenario_overrides_the_profile_which_overrides_the_defaults()
    {
        ScenarioSpec spec = ScenarioLoader.Load(ScenarioPath, null, []);

        Assert.Equal(20_000_000_000, spec.Traffic.DurationNs);     // scenario over profile
        Assert.Equal(1_000_000_000, spec.Traffic.WarmupNs);        // profile over defaults
        Assert.Equal(3_000, spec.Costs.Host.Kernel.HardIrqNs);            // profile over defaults
        Assert.Equal(1_500, spec.Costs.Host.VmExitNs);             // defaults
        Assert.Equal(Path.Combine(_dir.Path, "profiles", "p.yaml"), spec.ProfilePath);
    }

    [Fact]
    public void Set_overrides_everything_and_the_last_set_of_a_key_wins()
    {
        ScenarioSpec spec = ScenarioLoader.Load(
            ScenarioPath, null, ["traffic.duration=30s", "costs.host.hardirq=4us", "traffic.duration = 40s"]);

        Assert.Equal(40_000_000_000, spec.Traffic.DurationNs);
        Assert.Equal(4_000, spec.Costs.Host.Kernel.HardIrqNs);
    }

    [Fact]
    public void A_list_in_a_file_replaces_the_whole_list_below_it()
    {
        ScenarioSpec spec = ScenarioLoader.Load(ScenarioPath, null, []);

        Assert.Equal([3], spec.Host.IsolatedCpus);                  // not [3, 9, 10, 11]
        Assert.Equal([12, 13, 14, 15], spec.Host.VcpuCpus);
    }

    [Fact]
    public void Set_can_replace_a_list_with_text_or_change_one_item()
    {
        ScenarioSpec replaced = ScenarioLoader.Load(ScenarioPath, null, ["host.vcpuCpus=4-7"]);
        ScenarioSpec patched = ScenarioLoader.Load(ScenarioPath, null, ["host.vcpuCpus.1=20"]);
        ScenarioSpec cleared = ScenarioLoader.Load(ScenarioPath, null, ["host.isolcpus="]);

        Assert.Equal([4, 5, 6, 7], replaced.Host.VcpuCpus);
        Assert.Equal([12, 20, 14, 15], patched.Host.VcpuCpus);
        Assert.Empty(cleared.Host.IsolatedCpus);
    }

    [Fact]
    public void The_profile_option_replaces_the_profile_named_in_the_scenario()
    {
        string other = _dir.Write("other.json", """{ "traffic": { "warmup": "2s" } }""");

        ScenarioSpec spec = ScenarioLoader.Load(ScenarioPath, other, []);

        Assert.Equal(2_000_000_000, spec.Traffic.WarmupNs);
        Assert.Equal(1_000, spec.Costs.Host.Kernel.HardIrqNs);           // p.yaml was not read
        Assert.Equal(Path.GetFullPath(other), spec.ProfilePath);
    }

    [Fact]
    public void A_bad_value_is_blamed_on_the_input_that_supplied_it()
    {
        _dir.Write("profiles/p.yaml", Profile.Replace("hardirq: 3us", "hardirq: 3"));

        var fromProfile = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(ScenarioPath, null, []));
        var fromSet = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(ScenarioPath, null, ["costs.host.hardirq=3us", "traffic.rate=-5Mbps"]));

        Assert.StartsWith(Path.Combine("profiles", "p.yaml") + ": key 'costs.host.hardirq': value '3' is invalid: expected a duration", RelativeTail(fromProfile.OneLine));
        Assert.Equal("--set: key 'traffic.rate': value '-5Mbps' is invalid: expected a positive rate such as 80Mbps or 1Gbps", fromSet.OneLine);
    }

    [Fact]
    public void A_missing_required_key_is_blamed_on_the_scenario_file()
    {
        _dir.Write("s.yaml", Scenario.Replace("  rate: 1Gbps\n", string.Empty));

        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(ScenarioPath, null, []));

        Assert.Equal($"{ScenarioPath}: key 'traffic.rate' is required: expected a positive rate such as 80Mbps or 1Gbps", e.OneLine);
    }

    [Fact]
    public void An_unknown_key_given_with_set_names_set_and_the_allowed_keys()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(ScenarioPath, null, ["traffic.rat=2Gbps"]));

        Assert.StartsWith("--set: unknown key 'traffic.rat' (allowed here: mode, rate, rateLayer, frameSize,", e.OneLine);
    }

    [Theory]
    [InlineData("traffic.rate")]
    [InlineData("=5")]
    [InlineData("traffic..rate=1Gbps")]
    [InlineData("traffic rate=1Gbps")]
    public void A_set_argument_that_is_not_key_equals_value_is_refused(string argument)
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(ScenarioPath, null, [argument]));

        Assert.StartsWith($"--set: '{argument}' is not key=value", e.OneLine);
    }

    [Fact]
    public void The_profile_is_chosen_with_the_profile_option_not_with_set()
    {
        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(ScenarioPath, null, ["profile=x.yaml"]));

        Assert.Contains("--set: key 'profile'", e.OneLine);
    }

    [Fact]
    public void A_missing_profile_option_file_is_named()
    {
        string missing = Path.Combine(_dir.Path, "nope.yaml");

        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(ScenarioPath, missing, []));

        Assert.Equal($"{missing}: file not found", e.OneLine);
    }

    [Fact]
    public void Sources_report_which_layer_supplied_each_key()
    {
        ScenarioSources sources = ScenarioSources.Load(ScenarioPath, null, ["traffic.seed=7"], ScenarioDefaults.Values);

        Assert.Equal(ScenarioError.DefaultsSource, sources.SourceOf("nic.rate"));
        Assert.Equal(Path.Combine("profiles", "p.yaml"), RelativeTail(sources.SourceOf("traffic.warmup")!));
        Assert.Equal(ScenarioPath, sources.SourceOf("traffic.duration"));
        Assert.Equal(ScenarioError.SetSource, sources.SourceOf("traffic.seed"));
        Assert.Null(sources.SourceOf("traffic.nothing"));
        Assert.Equal(
            [ScenarioLayerKind.Defaults, ScenarioLayerKind.Profile, ScenarioLayerKind.Scenario, ScenarioLayerKind.Overrides],
            sources.Layers.Select(l => l.Kind));
    }

    /// <summary>The profile's display path is relative to the working directory; keep its last two parts.</summary>
    private static string RelativeTail(string text)
    {
        int at = text.IndexOf(Path.Combine("profiles", "p.yaml"), StringComparison.Ordinal);
        return at < 0 ? text : text[at..];
    }
}
