using System.CommandLine;
using System.Diagnostics;
using Kbp.Sim.Cli;
using Kbp.Sim.Cli.Commands;

namespace Kbp.Sim.Tests.Cli;

public class SlurmCommandTests
{
    private static (int Code, string Out, string Err) Run(string? sbatch, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new RootCommand { SlurmCommand.Create(output, error, args, sbatch) };
        ParseResult parsed = root.Parse(args);
        int code = parsed.Errors.Count > 0 ? ExitCodes.BadInput : parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    private static void MakeExecutable(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static string[] Sweep(string workdir, params string[] extra) =>
        ["slurm", "sweep", "scenarios/my sweep.yaml", "--vary", "traffic.rate=80Mbps,1Gbps", "--seed", "7", "--tasks", "16", "--workdir", workdir, .. extra];

    private static string Script(string output, string name)
    {
        int start = output.IndexOf($"/{name}", StringComparison.Ordinal);
        int begin = output.IndexOf("#!/bin/bash", start, StringComparison.Ordinal);
        int end = output.IndexOf("\n# /", begin, StringComparison.Ordinal);
        return end < 0 ? output[begin..] : output[begin..(end + 1)];
    }

    [Fact]
    public void Dry_run_prints_an_array_of_N_shards_and_a_merge_after_them_and_submits_nothing()
    {
        string workdir = Path.Combine(Path.GetTempPath(), "kbp-slurm-dry-" + Guid.NewGuid().ToString("N"));
        (int code, string output, string error) = Run("/nonexistent/sbatch", Sweep(workdir, "--partition", "short", "--time", "02:00:00", "--cpus-per-task", "8", "--dry-run"));

        Assert.True(code == ExitCodes.Ok, error);
        Assert.False(Directory.Exists(workdir));
        string array = Script(output, "array.sbatch");
        string merge = Script(output, "merge.sbatch");
        Assert.Contains("#SBATCH --array=0-15\n", array);
        Assert.Contains("#SBATCH --partition=short\n", array);
        Assert.Contains("#SBATCH --time=02:00:00\n", array);
        Assert.Contains("#SBATCH --cpus-per-task=8\n", array);
        Assert.Contains($"#SBATCH --output={workdir}/logs/task-%a.out\n", array);
        Assert.Contains("SHARDS=16\n", array);
        Assert.Contains(
            $"exec \"$KBP_SIM\" sweep 'scenarios/my sweep.yaml' --vary traffic.rate=80Mbps,1Gbps --seed 7 --shard \"$SLURM_ARRAY_TASK_ID/$SHARDS\" --parts {workdir}/parts --resume {workdir}/parts\n",
            array);

        Assert.DoesNotContain("--array", merge);
        Assert.DoesNotContain("--cpus-per-task", merge);
        Assert.Contains("#SBATCH --job-name=kbp-sim-sweep-merge\n", merge);
        Assert.Contains($"parts+=({workdir}/parts/part-$k-of-$SHARDS.jsonl)", merge);
        Assert.Contains($"merge \"${{parts[@]}}\" --json {workdir}/merged.json --csv {workdir}/merged.csv\n", merge);
        Assert.Contains("--dependency=afterok:<array job id>", output);
    }

    [Fact]
    public void An_rfc2544_array_merges_to_json_only()
    {
        (int code, string output, string error) = Run(null, "slurm", "rfc2544", "s.yaml", "--frame-sizes", "64,1518", "--tasks", "2", "--workdir", "/shared/w", "--dry-run");
        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("exec \"$KBP_SIM\" rfc2544 s.yaml --frame-sizes 64,1518 --shard \"$SLURM_ARRAY_TASK_ID/$SHARDS\"", Script(output, "array.sbatch"));
        Assert.EndsWith("--json /shared/w/merged.json\n", Script(output, "merge.sbatch"));
    }

    [Theory]
    [InlineData("capacity", "s.yaml", "--slo", "max<250us", "--rates", "100Mbps,1Gbps", "--frame-sizes", "64,1518", "--trial", "1s")]
    [InlineData("validate", "--quick", "--suite", "vm", "--seed", "3")]
    public void Capacity_grids_and_validations_are_arrays_that_merge_to_json_only(params string[] experiment)
    {
        (int code, string output, string error) = Run(null, ["slurm", .. experiment, "--tasks", "5", "--workdir", "/shared/w", "--dry-run"]);

        Assert.True(code == ExitCodes.Ok, error);
        string array = Script(output, "array.sbatch");
        Assert.Contains("#SBATCH --array=0-4\n", array);
        Assert.Contains($"exec \"$KBP_SIM\" {string.Join(" ", experiment.Select(a => a.Contains('<', StringComparison.Ordinal) ? $"'{a}'" : a))} --shard \"$SLURM_ARRAY_TASK_ID/$SHARDS\" --parts /shared/w/parts --resume /shared/w/parts\n", array);
        Assert.EndsWith("--json /shared/w/merged.json\n", Script(output, "merge.sbatch"));
    }

    [Fact]
    public void The_scripts_are_valid_bash_and_the_merge_names_every_part()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-slurm-bash-").FullName;
        (int code, string output, _) = Run(null, Sweep(Path.Combine(dir, "w"), "--dry-run"));
        Assert.Equal(ExitCodes.Ok, code);
        foreach (string name in new[] { "array.sbatch", "merge.sbatch" })
        {
            string path = Path.Combine(dir, name);
            File.WriteAllText(path, Script(output, name));
            using Process bash = Process.Start(new ProcessStartInfo("bash", ["-n", path]) { RedirectStandardError = true })!;
            string complaint = bash.StandardError.ReadToEnd();
            bash.WaitForExit();
            Assert.True(bash.ExitCode == 0, complaint);
        }

        // Run the merge script with a stand-in kbp-sim that prints its arguments.
        string echo = Path.Combine(dir, "echo-kbp-sim");
        File.WriteAllText(echo, "#!/bin/bash\nprintf '%s\\n' \"$@\"\n");
        MakeExecutable(echo);
        var start = new ProcessStartInfo("bash", [Path.Combine(dir, "merge.sbatch")]) { RedirectStandardOutput = true };
        start.Environment["KBP_SIM"] = echo;
        using Process merge = Process.Start(start)!;
        string[] words = merge.StandardOutput.ReadToEnd().TrimEnd('\n').Split('\n');
        merge.WaitForExit();
        Assert.Equal("merge", words[0]);
        Assert.Equal(Enumerable.Range(0, 16).Select(k => Path.Combine(dir, "w", "parts", $"part-{k}-of-16.jsonl")), words[1..17]);
        Assert.Equal(["--json", Path.Combine(dir, "w", "merged.json"), "--csv", Path.Combine(dir, "w", "merged.csv")], words[17..]);
    }

    [Fact]
    public void Submission_parses_the_array_job_id_and_makes_the_merge_depend_on_it()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-slurm-submit-").FullName;
        string log = Path.Combine(dir, "sbatch.log");
        string sbatch = Path.Combine(dir, "sbatch");
        File.WriteAllText(sbatch, $"#!/bin/bash\necho \"$@\" >> '{log}'\nif [ -e '{log}.1' ]; then echo '4243'; else touch '{log}.1'; echo '4242;cluster0'; fi\n");
        MakeExecutable(sbatch);
        string workdir = Path.Combine(dir, "w");

        (int code, string output, string error) = Run(sbatch, Sweep(workdir));

        Assert.True(code == ExitCodes.Ok, error);
        string[] calls = File.ReadAllLines(log);
        Assert.Equal($"--parsable {workdir}/array.sbatch", calls[0]);
        Assert.Equal($"--parsable --dependency=afterok:4242 {workdir}/merge.sbatch", calls[1]);
        Assert.Contains("array job 4242: 16 task(s)", output);
        Assert.Contains("merge job 4243", output);
        Assert.Contains($"{workdir}/merged.json", output);
        Assert.True(File.Exists(Path.Combine(workdir, "array.sbatch")));
        Assert.True(Directory.Exists(Path.Combine(workdir, "parts")));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("many")]
    [InlineData(null)]
    public void A_bad_or_missing_task_count_is_one_line_and_exit_code_2(string? tasks)
    {
        string[] args = tasks is null
            ? ["slurm", "sweep", "s.yaml", "--vary", "traffic.rate=1Gbps", "--dry-run"]
            : ["slurm", "sweep", "s.yaml", "--vary", "traffic.rate=1Gbps", "--tasks", tasks, "--dry-run"];
        (int code, string output, string error) = Run(null, args);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains("--tasks", error);
    }

    [Fact]
    public void An_unknown_experiment_a_reserved_option_or_a_missing_sbatch_is_one_line_and_exit_code_2()
    {
        string workdir = Path.Combine(Path.GetTempPath(), "kbp-slurm-none-" + Guid.NewGuid().ToString("N"));
        (int code, _, string error) = Run(null, "slurm", "bench", "hold", "--tasks", "2", "--dry-run");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("unknown experiment 'bench'", error);

        (code, _, error) = Run(null, "slurm", "sweep", "s.yaml", "--vary", "a=1", "--json", "x.json", "--tasks", "2", "--dry-run");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("--json is set by the launcher", error);

        (code, _, error) = Run(Path.Combine(workdir, "no-sbatch-here"), Sweep(workdir));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.False(Directory.Exists(workdir));
    }
}
