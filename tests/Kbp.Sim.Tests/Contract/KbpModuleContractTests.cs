using System.Reflection;
using System.Text.RegularExpressions;
using Kbp.Sim.Models.Kernel;
using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;
using Kbp.Sim.Tests.Scenarios;

namespace Kbp.Sim.Tests.Contract;

/// <summary>
/// The contract between kernel-module/kbp.c and the simulator (issue [4/8] item 5): the
/// module's parameters and <see cref="KbpOptions"/>' knobs have the same names, defaults,
/// ranges and words, read from kbp.c on one side and from the code (attributes, a fresh
/// options record, the scenario defaults through the scenario reader) on the other.
/// </summary>
public class KbpModuleContractTests
{
    private static readonly string ModuleText = File.ReadAllText(RepositoryFiles.ModuleSource);

    private static IReadOnlyList<ModuleParameterDecl> ParseModule(string text)
    {
        (IReadOnlyList<ModuleParameterDecl> parameters, IReadOnlyList<string> errors) = KbpModuleSource.Parse(text);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        return parameters;
    }

    [Fact]
    public void The_parser_reads_every_module_parameter_of_kbp_c()
    {
        IReadOnlyList<ModuleParameterDecl> module = ParseModule(ModuleText);

        // As many declarations as the source has module_param lines: none is silently missed.
        int declarations = Regex.Matches(ModuleText, @"^\s*module_param\w*\s*\(", RegexOptions.Multiline).Count;
        Assert.Equal(declarations, module.Count);
        Assert.True(module.Count >= 5);
    }

    [Fact]
    public void Every_KbpOptions_property_is_a_module_parameter_or_marked_model_only()
    {
        foreach (PropertyInfo property in typeof(KbpOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract"))
        {
            bool parameter = property.GetCustomAttribute<ModuleParameterAttribute>() is not null;
            bool modelOnly = property.GetCustomAttribute<ModelOnlyAttribute>() is not null;
            Assert.True(parameter ^ modelOnly, $"KbpOptions.{property.Name} must be marked [ModuleParameter] or [ModelOnly], exactly one");
        }
    }

    [Fact]
    public void The_module_parameters_and_the_KbpOptions_knobs_have_the_same_names_defaults_ranges_and_words()
    {
        IReadOnlyList<string> mismatches = KbpContract.Mismatches(ParseModule(ModuleText), KbpContract.Knobs(new KbpOptions()));
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Theory]
    [InlineData("host")]
    [InlineData("guest")]
    public void A_scenario_user_gets_the_module_defaults_from_the_scenario_defaults(string section)
    {
        using var folder = new TempFolder();
        string file = folder.Write("minimal.yaml", "topology: vm\ndatapath: kbp\ntraffic: { rate: 80Mbps, frameSize: 64B }\n");
        VmSpec spec = VmScenario.ToVmSpec(ScenarioLoader.Load(file, null, []));
        KbpOptions options = section == "host" ? spec.HostKbp : spec.GuestKbp;

        // A scenario places the thread on the CPU taking the interrupt (derived), where the
        // module forwards from other CPUs; every other knob is a constant of ScenarioDefaults.
        var derived = KbpModuleParameters.All.Where(p => p.Attribute.ScenarioDefaultIsDerived).Select(p => p.Name).ToHashSet();
        foreach (KbpModuleParameter p in KbpModuleParameters.All)
        {
            string key = $"{section}.kbp.{p.Attribute.ScenarioKey}";
            Assert.True(p.Attribute.ScenarioKey.Length > 0, $"{p.Name} has no scenario key");
            Assert.Equal(!derived.Contains(p.Name), ScenarioDefaults.Values.ContainsKey(key));
        }

        IReadOnlyList<string> mismatches = KbpContract.Mismatches(
            ParseModule(ModuleText).Where(m => !derived.Contains(m.Name)).ToList(),
            KbpContract.Knobs(options).Where(k => !derived.Contains(k.Name)).ToList(),
            $"scenario {section}.kbp");
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Theory]
    [InlineData("host")]
    [InlineData("guest")]
    public void The_scenario_reader_accepts_exactly_the_module_range_of_each_bounded_knob(string section)
    {
        using var folder = new TempFolder();
        string file = folder.Write("minimal.yaml", "topology: vm\ndatapath: kbp\ntraffic: { rate: 80Mbps, frameSize: 64B }\n");
        Dictionary<string, ModuleParameterDecl> module = ParseModule(ModuleText).ToDictionary(m => m.Name);
        foreach (KbpModuleParameter p in KbpModuleParameters.All.Where(p => p.Attribute.Minimum != int.MinValue))
        {
            ModuleParameterDecl m = module[p.Name];
            string key = $"{section}.kbp.{p.Attribute.ScenarioKey}";
            bool Accepts(long value)
            {
                try
                {
                    ScenarioLoader.Load(file, null, [$"{key}={value}"]);
                    return true;
                }
                catch (ScenarioException)
                {
                    return false;
                }
            }

            Assert.True(Accepts(m.Minimum!.Value), $"{key}={m.Minimum} refused");
            Assert.True(Accepts(m.Maximum!.Value), $"{key}={m.Maximum} refused");
            Assert.False(Accepts(m.Minimum.Value - 1), $"{key}={m.Minimum - 1} accepted");
            Assert.False(Accepts(m.Maximum.Value + 1), $"{key}={m.Maximum + 1} accepted");
        }
    }

    [Fact]
    public void The_module_README_lists_the_parameters_and_defaults_of_kbp_c()
    {
        string readme = File.ReadAllText(RepositoryFiles.PathOf("kernel-module", "README.md"));
        string table = readme[readme.IndexOf("## Parameters", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n## ", StringComparison.Ordinal)];
        var rows = Regex.Matches(table, @"^\| `(?<name>\w+)` \|[^|]*\| `(?<default>[^`]*)` \|", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["default"].Value);

        Assert.Equal(ParseModule(ModuleText).ToDictionary(m => m.Name, m => m.Default), rows);
    }

    // The test can fail: the same comparison on a copy of kbp.c with one thing changed.
    [Theory]
    [InlineData(@"\bweight\b", "budget", "budget")]
    [InlineData(@"module_param\(priority, int, 0444\)", "module_param_named(rt_priority, priority, int, 0444)", "rt_priority")]
    [InlineData(@"static int weight = 64;", "static int weight = 32;", "weight")]
    [InlineData(@"static char policy\[16\] = ""fifo"";", @"static char policy[16] = ""rr"";", "policy")]
    [InlineData(@"static char cpus\[256\] = ""0"";", @"static char cpus[256] = ""1"";", "cpus")]
    [InlineData(@"#define KBP_WEIGHT_MAX 256", "#define KBP_WEIGHT_MAX 128", "weight")]
    [InlineData(@"priority > MAX_RT_PRIO - 1", "priority > MAX_RT_PRIO - 2", "priority")]
    [InlineData(@"sysfs_streq\(idle_mode, ""sleep""\)", @"sysfs_streq(idle_mode, ""sleep"") || sysfs_streq(idle_mode, ""hybrid"")", "idle_mode")]
    [InlineData(@"(static int priority = 50;)", "$1\nstatic int napi_defer = 2;\nmodule_param(napi_defer, int, 0444);", "napi_defer")]
    public void A_renamed_parameter_or_a_changed_default_in_kbp_c_is_a_mismatch(string pattern, string replacement, string named)
    {
        string mutated = Regex.Replace(ModuleText, pattern, replacement);
        Assert.NotEqual(ModuleText, mutated);

        IReadOnlyList<string> mismatches = KbpContract.Mismatches(ParseModule(mutated), KbpContract.Knobs(new KbpOptions()));

        Assert.Contains(mismatches, m => m.Contains($"'{named}'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_renamed_knob_or_a_changed_default_in_the_simulator_is_a_mismatch()
    {
        IReadOnlyList<ModuleParameterDecl> module = ParseModule(ModuleText);
        IReadOnlyList<SimulatorKnob> knobs = KbpContract.Knobs(new KbpOptions());

        Assert.Contains(KbpContract.Mismatches(module, KbpContract.Knobs(new KbpOptions { Weight = 32 })), m => m.Contains("'weight'", StringComparison.Ordinal));
        Assert.Contains(KbpContract.Mismatches(module, KbpContract.Knobs(new KbpOptions { Policy = SchedPolicy.Fair })), m => m.Contains("'policy'", StringComparison.Ordinal));
        Assert.Contains(KbpContract.Mismatches(module, KbpContract.Knobs(new KbpOptions { Cpus = [0, 1] })), m => m.Contains("'cpus'", StringComparison.Ordinal));

        var renamed = knobs.Select(k => k.Name == "idle_mode" ? k with { Name = "idle" } : k).ToList();
        IReadOnlyList<string> mismatches = KbpContract.Mismatches(module, renamed);
        Assert.Contains(mismatches, m => m.Contains("'idle_mode'", StringComparison.Ordinal));
        Assert.Contains(mismatches, m => m.Contains("'idle'", StringComparison.Ordinal));

        var widened = knobs.Select(k => k.Name == "weight" ? k with { Maximum = 4096 } : k).ToList();
        Assert.Contains(KbpContract.Mismatches(module, widened), m => m.Contains("'weight'", StringComparison.Ordinal));
    }

    [Fact]
    public void The_model_policy_Fair_is_the_module_word_normal_and_the_words_round_trip()
    {
        Assert.Equal("normal", KbpModuleParameters.Word(SchedPolicy.Fair));
        foreach (SchedPolicy policy in Enum.GetValues<SchedPolicy>())
        {
            Assert.True(KbpModuleParameters.TryParsePolicy(KbpModuleParameters.Word(policy), out SchedPolicy back));
            Assert.Equal(policy, back);
        }

        foreach (KbpIdleMode mode in Enum.GetValues<KbpIdleMode>())
        {
            Assert.True(KbpModuleParameters.TryParseIdleMode(KbpModuleParameters.Word(mode), out KbpIdleMode back));
            Assert.Equal(mode, back);
        }

        Assert.Equal("cpus=0 weight=64 idle_mode=busy policy=fifo priority=50", KbpModuleParameters.LoadLine(new KbpOptions()));
    }

    [Theory]
    [InlineData("0", new[] { 0 })]
    [InlineData("0,2-3", new[] { 0, 2, 3 })]
    [InlineData("0-1", new[] { 0, 1 })]
    [InlineData("5,1,2", new[] { 1, 2, 5 })]
    public void Cpu_lists_parse_and_print_as_the_kernel_writes_them(string text, int[] cpus)
    {
        Assert.True(KbpModuleParameters.TryParseCpuList(text, out IReadOnlyList<int> parsed));
        Assert.Equal(cpus, parsed);
        Assert.True(KbpModuleParameters.TryParseCpuList(KbpModuleParameters.FormatCpuList(parsed), out IReadOnlyList<int> again));
        Assert.Equal(cpus, again);
    }

    [Theory]
    [InlineData("")]
    [InlineData("all")]
    [InlineData("3-1")]
    [InlineData("1,,2")]
    [InlineData("-1")]
    public void Malformed_cpu_lists_are_refused(string text) =>
        Assert.False(KbpModuleParameters.TryParseCpuList(text, out _));
}
