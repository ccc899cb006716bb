using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Kbp.Sim.Cli.Commands;

/// <summary>
/// <c>kbp-sim slurm EXPERIMENT ARGS... --tasks N [--partition P] [--time T]
/// [--cpus-per-task C] [--workdir DIR] [--dry-run]</c>: a Slurm job array whose task K runs
/// <c>kbp-sim EXPERIMENT ARGS... --shard K/N</c> into <c>DIR/parts</c>, and a merge job that
/// runs after all of them succeed (<c>--dependency=afterok</c>). The scheduler distributes;
/// the simulator only shards and merges. See <c>docs/scaling.md</c>.
/// </summary>
internal static class SlurmCommand
{
    /// <summary>The experiments that take <c>--shard</c>.</summary>
    internal static readonly string[] Shardable = ["sweep", "rfc2544", "capacity", "validate"];

    /// <summary>Options of the experiment that a work unit must not be given: the launcher sets or replaces them.</summary>
    internal static readonly string[] Reserved = ["--shard", "--parts", "--resume", "--json", "--csv", "--plot"];

    private static readonly string[] ValueOptions = ["--tasks", "--partition", "--time", "--cpus-per-task", "--workdir"];

    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="args">The whole command line (the experiment's arguments are taken from it in order).</param>
    /// <param name="sbatch">The sbatch program, or null to look for it on PATH.</param>
    public static Command Create(TextWriter output, TextWriter error, string[] args, string? sbatch = null)
    {
        var experiment = new Argument<string[]>("EXPERIMENT ARGS") { Description = "The experiment and its arguments, as for kbp-sim itself: sweep FILE --vary ...", Arity = ArgumentArity.ZeroOrMore };
        var tasks = new Option<string?>("--tasks") { Description = "Array tasks, N: task K runs the experiment with --shard K/N." };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition (sbatch --partition)." };
        var time = new Option<string?>("--time") { Description = "Time limit per task (sbatch --time), e.g. 02:00:00." };
        var cpus = new Option<string?>("--cpus-per-task") { Description = "Cores per task (sbatch --cpus-per-task); a task runs its points in parallel on them." };
        var workdir = new Option<string?>("--workdir") { Description = "Directory on the shared filesystem for the scripts, parts, logs and merged result (default: kbp-sim-slurm in the current directory)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print both scripts and submit nothing." };
        var slurm = new Command("slurm", "Run a sharded experiment as a Slurm job array and merge the parts in a dependent job.")
        {
            experiment, tasks, partition, time, cpus, workdir, dryRun,
        };
        slurm.TreatUnmatchedTokensAsErrors = false;
        slurm.SetAction(_ =>
        {
            if (!TryParse(args, out Launch? launch, out string? problem))
            {
                error.WriteLine($"kbp-sim: {problem}");
                return ExitCodes.BadInput;
            }

            SlurmScripts scripts = SlurmScripts.Of(launch);
            if (launch.DryRun)
            {
                output.WriteLine($"# {scripts.ArrayPath}");
                output.Write(scripts.Array);
                output.WriteLine();
                output.WriteLine($"# {scripts.MergePath} (submitted with --dependency=afterok:<array job id>)");
                output.Write(scripts.Merge);
                return ExitCodes.Ok;
            }

            string? program = sbatch is not null ? (File.Exists(sbatch) ? sbatch : null) : FindOnPath("sbatch");
            if (program is null)
            {
                error.WriteLine("kbp-sim: slurm: sbatch not found on PATH (run on a Slurm login node, or use --dry-run to see the scripts)");
                return ExitCodes.BadInput;
            }

            try
            {
                Directory.CreateDirectory(Path.Combine(launch.Workdir, "parts"));
                Directory.CreateDirectory(Path.Combine(launch.Workdir, "logs"));
                File.WriteAllText(scripts.ArrayPath, scripts.Array);
                File.WriteAllText(scripts.MergePath, scripts.Merge);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"kbp-sim: slurm: cannot write the scripts: {e.Message}");
                return ExitCodes.BadInput;
            }

            if (!TrySubmit(program, ["--parsable", scripts.ArrayPath], out string? arrayJob, out problem))
            {
                error.WriteLine($"kbp-sim: slurm: submitting the array: {problem}");
                return ExitCodes.BadInput;
            }

            if (!TrySubmit(program, ["--parsable", $"--dependency=afterok:{arrayJob}", scripts.MergePath], out string? mergeJob, out problem))
            {
                error.WriteLine($"kbp-sim: slurm: array job {arrayJob} submitted, but submitting the merge failed: {problem}");
                return ExitCodes.BadInput;
            }

            output.WriteLine($"array job {arrayJob}: {launch.Tasks} task(s) of '{string.Join(" ", launch.Experiment)}', parts in {Path.Combine(launch.Workdir, "parts")}, logs in {Path.Combine(launch.Workdir, "logs")}");
            output.WriteLine($"merge job {mergeJob}: runs after every task of {arrayJob} succeeds");
            output.WriteLine($"merged result: {scripts.MergedJson}{(scripts.MergedCsv is null ? string.Empty : " and " + scripts.MergedCsv)}");
            return ExitCodes.Ok;
        });
        return slurm;
    }

    /// <summary>Splits the command line into the launcher's options and the experiment's arguments, in order.</summary>
    internal static bool TryParse(string[] args, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Launch? launch, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        launch = null;
        int start = Array.IndexOf(args, "slurm") + 1;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = new List<string>();
        bool dryRun = false;
        for (int i = start; i < args.Length; i++)
        {
            string a = args[i];
            int eq = a.IndexOf('=', StringComparison.Ordinal);
            string name = a.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? a[..eq] : a;
            if (a == "--dry-run")
            {
                dryRun = true;
            }
            else if (ValueOptions.Contains(name))
            {
                string? value = eq > 0 && name != a ? a[(eq + 1)..] : i + 1 < args.Length ? args[++i] : null;
                if (value is null)
                {
                    error = $"slurm: {name} needs a value";
                    return false;
                }

                values[name] = value;
            }
            else
            {
                rest.Add(a);
            }
        }

        if (rest.Count == 0 || !Shardable.Contains(rest[0]))
        {
            error = rest.Count == 0
                ? "slurm: give the experiment and its arguments, such as: kbp-sim slurm sweep FILE --vary traffic.rate=80Mbps,1Gbps --tasks 8"
                : $"slurm: unknown experiment '{rest[0]}': the experiments that can be sharded are {string.Join(", ", Shardable)}";
            return false;
        }

        if (rest.FirstOrDefault(r => Reserved.Contains(r.Split('=')[0])) is string reserved)
        {
            error = $"slurm: {reserved} is set by the launcher (each task writes its part, the merge job the result)";
            return false;
        }

        if (!values.TryGetValue("--tasks", out string? tasksText))
        {
            error = "slurm: --tasks N is required";
            return false;
        }

        if (!int.TryParse(tasksText, NumberStyles.None, CultureInfo.InvariantCulture, out int tasks) || tasks < 1 || tasks > Kbp.Sim.Models.Experiments.Shard.MaxCount)
        {
            error = $"slurm: --tasks '{tasksText}' must be a whole number from 1 to {Kbp.Sim.Models.Experiments.Shard.MaxCount}";
            return false;
        }

        int? cpusPerTask = null;
        if (values.TryGetValue("--cpus-per-task", out string? cpusText))
        {
            if (!int.TryParse(cpusText, NumberStyles.None, CultureInfo.InvariantCulture, out int c) || c < 1)
            {
                error = $"slurm: --cpus-per-task '{cpusText}' must be a whole number of at least 1";
                return false;
            }

            cpusPerTask = c;
        }

        launch = new Launch(
            rest,
            tasks,
            values.GetValueOrDefault("--partition"),
            values.GetValueOrDefault("--time"),
            cpusPerTask,
            Path.GetFullPath(values.GetValueOrDefault("--workdir") ?? "kbp-sim-slurm"),
            Directory.GetCurrentDirectory(),
            dryRun);
        error = null;
        return true;
    }

    private static string? FindOnPath(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Runs <c>sbatch --parsable ...</c> and reads the job id (<c>id</c> or <c>id;cluster</c>).</summary>
    private static bool TrySubmit(string sbatch, string[] arguments, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? jobId, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        jobId = null;
        var start = new ProcessStartInfo(sbatch) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        try
        {
            using Process process = Process.Start(start)!;
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            string stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            string firstLine = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? string.Empty;
            string id = firstLine.Split(';')[0];
            if (process.ExitCode != 0 || id.Length == 0 || !id.All(char.IsAsciiDigit))
            {
                string why = stderr.Result.ReplaceLineEndings(" ").Trim();
                error = string.Create(CultureInfo.InvariantCulture, $"sbatch exited with {process.ExitCode}{(why.Length > 0 ? ": " + why : string.Empty)}{(firstLine.Length > 0 ? $" (printed '{firstLine}')" : string.Empty)}");
                return false;
            }

            jobId = id;
            error = null;
            return true;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            error = e.Message.ReplaceLineEndings(" ");
            return false;
        }
    }
}

/// <summary>A parsed <c>kbp-sim slurm</c> command line.</summary>
/// <param name="Experiment">The experiment and its arguments, in order.</param>
/// <param name="Tasks">Array tasks (shards).</param>
/// <param name="Partition">Slurm partition, or null.</param>
/// <param name="Time">Time limit per task, or null.</param>
/// <param name="CpusPerTask">Cores per task, or null.</param>
/// <param name="Workdir">The absolute work directory.</param>
/// <param name="SubmitDir">The directory relative paths in the arguments refer to.</param>
/// <param name="DryRun">Print, do not submit.</param>
internal sealed record Launch(IReadOnlyList<string> Experiment, int Tasks, string? Partition, string? Time, int? CpusPerTask, string Workdir, string SubmitDir, bool DryRun);

/// <summary>The two sbatch scripts of a launch: the job array and the merge.</summary>
internal sealed record SlurmScripts(string ArrayPath, string Array, string MergePath, string Merge, string MergedJson, string? MergedCsv)
{
    /// <summary>The scripts for <paramref name="launch"/>.</summary>
    public static SlurmScripts Of(Launch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        string name = "kbp-sim-" + launch.Experiment[0];
        string parts = Path.Combine(launch.Workdir, "parts");
        string logs = Path.Combine(launch.Workdir, "logs");
        string json = Path.Combine(launch.Workdir, "merged.json");
        string? csv = launch.Experiment[0] == "sweep" ? Path.Combine(launch.Workdir, "merged.csv") : null;
        string n = launch.Tasks.ToString(CultureInfo.InvariantCulture);

        var array = new StringBuilder();
        Header(array, launch, name, launch.CpusPerTask);
        array.Append(CultureInfo.InvariantCulture, $"#SBATCH --array=0-{launch.Tasks - 1}\n");
        array.Append(CultureInfo.InvariantCulture, $"#SBATCH --output={Quote(Path.Combine(logs, "task-%a.out"))}\n");
        array.Append(CultureInfo.InvariantCulture, $"#SBATCH --error={Quote(Path.Combine(logs, "task-%a.err"))}\n");
        Body(array);
        array.Append("# N is written out rather than taken from $SLURM_ARRAY_TASK_COUNT, so that a failed\n");
        array.Append("# task resubmitted alone (sbatch --array=K this-script) still runs shard K of N.\n");
        array.Append(CultureInfo.InvariantCulture, $"SHARDS={n}\n");
        array.Append("exec \"$KBP_SIM\" ").Append(string.Join(" ", launch.Experiment.Select(Quote)));
        array.Append(CultureInfo.InvariantCulture, $" --shard \"$SLURM_ARRAY_TASK_ID/$SHARDS\" --parts {Quote(parts)} --resume {Quote(parts)}\n");

        var merge = new StringBuilder();
        Header(merge, launch, name + "-merge", null);
        merge.Append(CultureInfo.InvariantCulture, $"#SBATCH --output={Quote(Path.Combine(logs, "merge.out"))}\n");
        merge.Append(CultureInfo.InvariantCulture, $"#SBATCH --error={Quote(Path.Combine(logs, "merge.err"))}\n");
        Body(merge);
        merge.Append(CultureInfo.InvariantCulture, $"SHARDS={n}\n");
        merge.Append("parts=()\n");
        merge.Append("for ((k = 0; k < SHARDS; k++)); do\n");
        merge.Append(CultureInfo.InvariantCulture, $"    parts+=({Quote(parts)}/part-$k-of-$SHARDS.jsonl)\n");
        merge.Append("done\n");
        merge.Append(CultureInfo.InvariantCulture, $"exec \"$KBP_SIM\" merge \"${{parts[@]}}\" --json {Quote(json)}{(csv is null ? string.Empty : " --csv " + Quote(csv))}\n");

        return new SlurmScripts(Path.Combine(launch.Workdir, "array.sbatch"), array.ToString(), Path.Combine(launch.Workdir, "merge.sbatch"), merge.ToString(), json, csv);
    }

    private static void Header(StringBuilder s, Launch launch, string jobName, int? cpusPerTask)
    {
        s.Append("#!/bin/bash\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name={jobName}\n");
        s.Append(CultureInfo.InvariantCulture, $"#SBATCH --chdir={Quote(launch.SubmitDir)}\n");
        if (launch.Partition is not null)
        {
            s.Append(CultureInfo.InvariantCulture, $"#SBATCH --partition={launch.Partition}\n");
        }

        if (launch.Time is not null)
        {
            s.Append(CultureInfo.InvariantCulture, $"#SBATCH --time={launch.Time}\n");
        }

        if (cpusPerTask is int c)
        {
            s.Append(CultureInfo.InvariantCulture, $"#SBATCH --cpus-per-task={c}\n");
        }
    }

    private static void Body(StringBuilder s)
    {
        s.Append("set -euo pipefail\n");
        s.Append("# The kbp-sim binary on the shared filesystem; override with sbatch --export=ALL,KBP_SIM=/path/kbp-sim.\n");
        s.Append(CultureInfo.InvariantCulture, $"KBP_SIM=\"${{KBP_SIM:-{Program()}}}\"\n");
    }

    /// <summary>This program when it runs as the kbp-sim executable, else <c>kbp-sim</c> from PATH.</summary>
    private static string Program()
    {
        string? path = Environment.ProcessPath;
        return path is not null && Path.GetFileName(path).StartsWith("kbp-sim", StringComparison.Ordinal) ? path : "kbp-sim";
    }

    /// <summary>A word for bash: single-quoted unless it is plainly safe.</summary>
    internal static string Quote(string word) =>
        word.Length > 0 && word.All(ch => char.IsAsciiLetterOrDigit(ch) || "-_./=,:+%@".Contains(ch))
            ? word
            : "'" + word.Replace("'", "'\"'\"'", StringComparison.Ordinal) + "'";
}
