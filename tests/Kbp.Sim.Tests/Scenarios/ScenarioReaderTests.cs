using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;

namespace Kbp.Sim.Tests.Scenarios;

/// <summary>The typed reader on its own, over layers built in memory.</summary>
public class ScenarioReaderTests
{
    private static ScenarioReader Reader(Dictionary<string, string?> scenario, Dictionary<string, string?>? defaults = null) =>
        new(ScenarioSources.FromLayers(
            [
                new ScenarioLayer(ScenarioLayerKind.Defaults, ScenarioError.DefaultsSource, defaults ?? []),
                new ScenarioLayer(ScenarioLayerKind.Scenario, "s.yaml", scenario),
            ],
            "s.yaml"));

    [Fact]
    public void Integer_lists_accept_lists_with_ranges_comma_text_and_range_text()
    {
        ScenarioReader r = Reader(new()
        {
            ["a:0"] = "2",
            ["a:1"] = "4-6",
            ["b"] = "2,3,4",
            ["c"] = "2-5",
            ["d"] = " 1 , 3-4 ",
            ["e"] = string.Empty,
        });

        Assert.Equal([2, 4, 5, 6], r.IntList("a", 0, 7));
        Assert.Equal([2, 3, 4], r.IntList("b", 0, 7));
        Assert.Equal([2, 3, 4, 5], r.IntList("c", 0, 7));
        Assert.Equal([1, 3, 4], r.IntList("d", 0, 7));
        Assert.Empty(r.IntList("e", 0, 7));
        Assert.Equal([9], r.IntList("f", 0, 9, [9]));
        Assert.Empty(r.AllErrors());
    }

    [Theory]
    [InlineData("5-2")]
    [InlineData("1,,2")]
    [InlineData("8")]
    [InlineData("-1")]
    [InlineData("one")]
    public void Integer_lists_refuse_reversed_ranges_gaps_and_out_of_range_items(string text)
    {
        ScenarioReader r = Reader(new() { ["host:isolcpus"] = text });

        r.Section("host").IntList("isolcpus", 0, 7);

        ScenarioError error = Assert.Single(r.AllErrors());
        Assert.Equal($"s.yaml: key 'host.isolcpus': value '{text}' is invalid: expected a list of integers from 0 to 7, such as [2, 3], \"2,3,4\" or \"2-5\"", error.Line);
    }

    [Fact]
    public void A_value_read_from_the_defaults_is_not_an_unknown_key_and_a_value_never_read_is()
    {
        ScenarioReader r = Reader(
            new() { ["traffic:rate"] = "1Gbps", ["traffic:extra"] = "1" },
            new() { ["traffic:seed"] = "1", ["traffic:leftover"] = "x" });

        ScenarioReader traffic = r.Section("traffic");
        traffic.Rate("rate");
        traffic.UInt64("seed");

        Assert.Equal(
            [
                "built-in defaults: unknown key 'traffic.leftover' (allowed here: rate, seed)",
                "s.yaml: unknown key 'traffic.extra' (allowed here: rate, seed)",
            ],
            r.AllErrors().Select(e => e.Line).Order());
    }

    [Fact]
    public void Enums_are_written_in_lower_case_with_dashes_and_match_case_insensitively()
    {
        ScenarioReader r = Reader(new() { ["a"] = "One-Way", ["b"] = "oneway" });

        Assert.Equal(TesterMode.OneWay, r.Enum<TesterMode>("a"));
        r.Enum<TesterMode>("b");
        Assert.Equal("s.yaml: key 'b': value 'oneway' is invalid: expected one of echo, one-way", Assert.Single(r.AllErrors()).Line);
    }

    [Fact]
    public void Lists_of_sections_give_one_reader_per_item_in_order()
    {
        ScenarioReader r = Reader(new()
        {
            ["items:0:name"] = "a",
            ["items:1:name"] = "b",
            ["items:2:name"] = "c",
            ["items:10:name"] = "k",
        });

        Assert.Equal(["a", "b", "c", "k"], r.Items("items").Select(i => i.String("name")));
        Assert.Equal("items.10", r.Items("items")[3].Path);
        Assert.Empty(r.AllErrors());
    }

    [Fact]
    public void A_section_where_a_value_belongs_is_reported_with_its_keys()
    {
        ScenarioReader r = Reader(new() { ["nic:rate:value"] = "1Gbps" });

        r.Section("nic").Rate("rate");

        Assert.Equal(
            "s.yaml: key 'nic.rate': found a section (value) where a single value belongs: expected a positive rate such as 80Mbps or 1Gbps",
            Assert.Single(r.AllErrors()).Line);
    }

    [Fact]
    public void Ranges_are_worded_for_the_reader()
    {
        ScenarioReader r = Reader(new() { ["a"] = "0s", ["b"] = "-1us", ["c"] = "2s", ["d"] = "101%", ["e"] = "0.5", ["f"] = "-1" });

        r.Duration("a", minNs: 1);
        r.Duration("b", minNs: 0);
        r.Duration("c", minNs: 1_000, maxNs: 1_000_000_000);
        r.Percent("d", 0, 100);
        r.Double("e", 1, 2);
        r.UInt64("f");

        Assert.Equal(
            [
                "s.yaml: key 'a': value '0s' is invalid: expected a positive duration, such as 60s, 4ms or 2.2us",
                "s.yaml: key 'b': value '-1us' is invalid: expected a duration of 0 or more, such as 60s, 4ms or 2.2us",
                "s.yaml: key 'c': value '2s' is invalid: expected a duration from 1us to 1s, such as 60s, 4ms or 2.2us",
                "s.yaml: key 'd': value '101%' is invalid: expected a percentage from 0% to 100%, such as 0%, 5% or 95%",
                "s.yaml: key 'e': value '0.5' is invalid: expected a number from 1 to 2",
                "s.yaml: key 'f': value '-1' is invalid: expected an unsigned 64-bit integer, from 0 to 18446744073709551615",
            ],
            r.AllErrors().Select(e => e.Line));
    }

    [Fact]
    public void Keys_are_case_insensitive_and_dotted_keys_in_a_file_are_paths()
    {
        using var dir = new TempFolder();
        string path = dir.Write("s.yaml", "Topology: VM\nDATAPATH: Napi\nTraffic: { Rate: 1GBPS, FrameSize: 1518b }\ntraffic.duration: 5s\n");

        ScenarioSpec spec = ScenarioLoader.Load(path, null, []);

        Assert.Equal((Topology.Vm, Datapath.Napi), (spec.Topology, spec.Datapath));
        Assert.Equal((1e9, 1518, 5_000_000_000L), (spec.Traffic.RateBps, spec.Traffic.FrameBytes, spec.Traffic.DurationNs));
    }

    [Fact]
    public void An_unknown_key_in_the_profile_names_the_profile()
    {
        using var dir = new TempFolder();
        string profile = dir.Write("p.yaml", "costs:\n  host:\n    hardirk: 1us\n");
        string path = dir.Write("s.yaml", "topology: vm\ndatapath: napi\ntraffic: { rate: 1Gbps, frameSize: 1518B }\n");

        var e = Assert.Throws<ScenarioException>(() => ScenarioLoader.Load(path, profile, []));

        Assert.StartsWith($"{profile}: unknown key 'costs.host.hardirk' (allowed here: hardirq, softirqEntry,", e.OneLine);
    }
}
