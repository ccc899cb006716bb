using Kbp.Sim.Cli;
using YamlDotNet.RepresentationModel;
using static Kbp.Sim.Tests.Cli.CliHarness;

namespace Kbp.Sim.Tests.Cli;

public class K8sJobCommandTests
{
    private static YamlNode At(YamlNode node, params object[] path)
    {
        foreach (object step in path)
        {
            node = step is int i ? ((YamlSequenceNode)node).Children[i] : ((YamlMappingNode)node).Children[new YamlScalarNode((string)step)];
        }

        return node;
    }

    private static string Text(YamlNode node, params object[] path) => ((YamlScalarNode)At(node, path)).Value!;

    private static string[] Texts(YamlNode node, params object[] path) =>
        ((YamlSequenceNode)At(node, path)).Children.Select(c => ((YamlScalarNode)c).Value!).ToArray();

    [Fact]
    public void The_manifest_is_an_indexed_job_of_N_shards_on_a_volume_and_a_merge_job()
    {
        (int code, string output, string error) = Run(
            "k8s-job", "sweep", "/scenarios/vm \"kbp\".yaml", "--vary", "traffic.rate=80Mbps,1Gbps", "--tasks", "12", "--parallelism", "4", "--image", "registry.example/kbp-sim:0.1.0");
        Assert.True(code == 0, error);

        var yaml = new YamlStream();
        yaml.Load(new StringReader(output));
        Assert.Equal(2, yaml.Documents.Count);
        YamlNode job = yaml.Documents[0].RootNode;
        Assert.Equal("Job", Text(job, "kind"));
        Assert.Equal("batch/v1", Text(job, "apiVersion"));
        Assert.Equal("kbp-sim-sweep", Text(job, "metadata", "name"));
        Assert.Equal("Indexed", Text(job, "spec", "completionMode"));
        Assert.Equal("12", Text(job, "spec", "completions"));
        Assert.Equal("4", Text(job, "spec", "parallelism"));
        YamlNode pod = At(job, "spec", "template", "spec");
        Assert.Equal("Never", Text(pod, "restartPolicy"));
        YamlNode shard = At(pod, "containers", 0);
        Assert.Equal("registry.example/kbp-sim:0.1.0", Text(shard, "image"));
        Assert.Equal(["kbp-sim"], Texts(shard, "command"));
        Assert.Equal(
            ["sweep", "/scenarios/vm \"kbp\".yaml", "--vary", "traffic.rate=80Mbps,1Gbps", "--shard", "$(JOB_COMPLETION_INDEX)/12", "--parts", "/results/kbp-sim-sweep/parts", "--resume", "/results/kbp-sim-sweep/parts"],
            Texts(shard, "args"));
        Assert.Equal("/results", Text(shard, "volumeMounts", 0, "mountPath"));
        Assert.Equal("kbp-sim-results", Text(pod, "volumes", 0, "persistentVolumeClaim", "claimName"));

        YamlNode merge = yaml.Documents[1].RootNode;
        Assert.Equal("kbp-sim-sweep-merge", Text(merge, "metadata", "name"));
        YamlNode mergePod = At(merge, "spec", "template", "spec");
        Assert.Contains("-eq 12", Texts(mergePod, "initContainers", 0, "args")[0]);
        string[] mergeArgs = Texts(mergePod, "containers", 0, "args");
        Assert.Equal("merge", mergeArgs[0]);
        Assert.Equal(Enumerable.Range(0, 12).Select(k => $"/results/kbp-sim-sweep/parts/part-{k}-of-12.jsonl"), mergeArgs[1..13]);
        Assert.Equal(["--json", "/results/kbp-sim-sweep/merged.json", "--csv", "/results/kbp-sim-sweep/merged.csv"], mergeArgs[13..]);
    }

    [Theory]
    [InlineData("capacity", "/s/vm.yaml", "--slo", "max<250us", "--rates", "100Mbps,1Gbps", "--frame-sizes", "64,1518")]
    [InlineData("validate", "--quick", "--suite", "vm")]
    public void Capacity_grids_and_validations_pass_through_and_merge_to_json_only(params string[] experiment)
    {
        (int code, string output, string error) = Run(["k8s-job", .. experiment, "--tasks", "3", "--image", "i"]);
        Assert.True(code == 0, error);

        var yaml = new YamlStream();
        yaml.Load(new StringReader(output));
        string name = $"kbp-sim-{experiment[0]}";
        Assert.Equal(
            [.. experiment, "--shard", "$(JOB_COMPLETION_INDEX)/3", "--parts", $"/results/{name}/parts", "--resume", $"/results/{name}/parts"],
            Texts(yaml.Documents[0].RootNode, "spec", "template", "spec", "containers", 0, "args"));
        Assert.Equal(
            ["merge", .. Enumerable.Range(0, 3).Select(k => $"/results/{name}/parts/part-{k}-of-3.jsonl"), "--json", $"/results/{name}/merged.json"],
            Texts(yaml.Documents[1].RootNode, "spec", "template", "spec", "containers", 0, "args"));

        // A validate merge exits 1 when a band fails: the merge Job fails once, not backoffLimit times.
        YamlNode rule = At(yaml.Documents[1].RootNode, "spec", "podFailurePolicy", "rules", 0);
        Assert.Equal("FailJob", Text(rule, "action"));
        Assert.Equal("merge", Text(rule, "onExitCodes", "containerName"));
        Assert.Equal(["1", "2"], Texts(rule, "onExitCodes", "values"));
    }

    [Theory]
    [InlineData("sweep", "s.yaml", "--vary", "a=1", "--tasks", "4")]
    [InlineData("sweep", "s.yaml", "--vary", "a=1", "--image", "i")]
    [InlineData("sweep", "s.yaml", "--vary", "a=1", "--image", "i", "--tasks", "0")]
    [InlineData("sweep", "s.yaml", "--vary", "a=1", "--image", "i", "--tasks", "2", "--name", "Not_A_Label")]
    [InlineData("sweep", "s.yaml", "--shard", "0/2", "--image", "i", "--tasks", "2")]
    [InlineData("plot", "run.json", "--image", "i", "--tasks", "2")]
    public void Bad_input_is_one_line_and_exit_code_2(params string[] rest)
    {
        (int code, string output, string error) = Run(["k8s-job", .. rest]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("kbp-sim: k8s-job: ", error);
    }
}
