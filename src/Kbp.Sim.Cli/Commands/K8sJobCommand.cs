using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Kbp.Sim.Cli.Commands;

/// <summary>
/// <c>kbp-sim k8s-job EXPERIMENT ARGS... --tasks N --image IMG [--parallelism P]
/// [--claim PVC] [--name NAME]</c>: prints a Kubernetes Indexed Job whose pod with completion
/// index K runs <c>kbp-sim EXPERIMENT ARGS... --shard K/N</c> into a volume, and a merge Job
/// that waits for every part on that volume and merges them. Nothing is applied; pipe it
/// to <c>kubectl apply -f -</c>. See <c>docs/scaling.md</c>.
/// </summary>
internal static class K8sJobCommand
{
    /// <summary>Where the results volume is mounted in the pods.</summary>
    internal const string MountPath = "/results";

    private static readonly string[] ValueOptions = ["--tasks", "--image", "--parallelism", "--claim", "--name"];

    public static Command Create(TextWriter output, TextWriter error, string[] args)
    {
        var experiment = new Argument<string[]>("EXPERIMENT ARGS") { Description = "The experiment and its arguments, as for kbp-sim itself: sweep FILE --vary ... (paths as seen inside the image).", Arity = ArgumentArity.ZeroOrMore };
        var tasks = new Option<string?>("--tasks") { Description = "Completions, N: the pod with index K runs the experiment with --shard K/N." };
        var image = new Option<string?>("--image") { Description = "Container image with kbp-sim on PATH." };
        var parallelism = new Option<string?>("--parallelism") { Description = "Pods at once (default: N)." };
        var claim = new Option<string?>("--claim") { Description = "PersistentVolumeClaim for the parts and the merged result, ReadWriteMany (default: kbp-sim-results)." };
        var name = new Option<string?>("--name") { Description = "Job name (default: kbp-sim-EXPERIMENT); the merge Job adds -merge." };
        var command = new Command("k8s-job", "Print a Kubernetes Indexed Job that runs a sharded experiment, and the Job that merges its parts.")
        {
            experiment, tasks, image, parallelism, claim, name,
        };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(_ =>
        {
            if (!TryParse(args, out K8sLaunch? launch, out string? problem))
            {
                error.WriteLine($"kbp-sim: {problem}");
                return ExitCodes.BadInput;
            }

            output.Write(Manifest(launch));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The two Jobs as one YAML stream.</summary>
    internal static string Manifest(K8sLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        string n = launch.Tasks.ToString(CultureInfo.InvariantCulture);
        string parts = $"{MountPath}/{launch.Name}/parts";
        string json = $"{MountPath}/{launch.Name}/merged.json";
        string csv = $"{MountPath}/{launch.Name}/merged.csv";
        var s = new StringBuilder();
        s.Append("# kubectl apply -f this-file; the merge Job waits until all parts exist, then merges them.\n");
        s.Append(CultureInfo.InvariantCulture, $"# Follow: kubectl get job {launch.Name}; a failed index is retried (backoffLimit) and resumes its part.\n");
        s.Append(CultureInfo.InvariantCulture, $"# Merged result on claim {launch.Claim}: {json}{(launch.Experiment[0] == "sweep" ? " and " + csv : string.Empty)}\n");
        s.Append("apiVersion: batch/v1\nkind: Job\nmetadata:\n");
        s.Append(CultureInfo.InvariantCulture, $"  name: {Q(launch.Name)}\n");
        s.Append("spec:\n  completionMode: Indexed\n");
        s.Append(CultureInfo.InvariantCulture, $"  completions: {n}\n");
        s.Append(CultureInfo.InvariantCulture, $"  parallelism: {launch.Parallelism.ToString(CultureInfo.InvariantCulture)}\n");
        s.Append(CultureInfo.InvariantCulture, $"  backoffLimit: {Math.Max(6, 2 * launch.Tasks).ToString(CultureInfo.InvariantCulture)}\n");
        s.Append("  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: shard\n");
        s.Append(CultureInfo.InvariantCulture, $"          image: {Q(launch.Image)}\n");
        s.Append("          command: [\"kbp-sim\"]\n");
        s.Append("          args:\n");
        var argv = new List<string>(launch.Experiment)
        {
            "--shard", $"$(JOB_COMPLETION_INDEX)/{n}", "--parts", parts, "--resume", parts,
        };
        foreach (string a in argv)
        {
            s.Append(CultureInfo.InvariantCulture, $"            - {Q(a)}\n");
        }

        Volume(s, launch);

        s.Append("---\napiVersion: batch/v1\nkind: Job\nmetadata:\n");
        s.Append(CultureInfo.InvariantCulture, $"  name: {Q(launch.Name + "-merge")}\n");
        // A merge that refuses (exit 2) or finds a failed band (validate, exit 1) would do so
        // again: the Job fails at once instead of retrying; merged.json of a validate is complete.
        s.Append("spec:\n  backoffLimit: 2\n  podFailurePolicy:\n    rules:\n      - action: FailJob\n        onExitCodes:\n          containerName: merge\n          operator: In\n          values: [1, 2]\n");
        s.Append("  template:\n    spec:\n      restartPolicy: Never\n      initContainers:\n        - name: wait-for-parts\n");
        s.Append(CultureInfo.InvariantCulture, $"          image: {Q(launch.Image)}\n");
        s.Append("          command: [\"/bin/sh\", \"-c\"]\n          args:\n");
        string wait = $"mkdir -p {parts} && until [ \"$(ls {parts} | grep -c '^part-[0-9]*-of-{n}\\.jsonl$')\" -eq {n} ]; do sleep 10; done";
        s.Append(CultureInfo.InvariantCulture, $"            - {Q(wait)}\n");
        VolumeMount(s);
        s.Append("      containers:\n        - name: merge\n");
        s.Append(CultureInfo.InvariantCulture, $"          image: {Q(launch.Image)}\n");
        s.Append("          command: [\"kbp-sim\"]\n          args:\n            - \"merge\"\n");
        for (int k = 0; k < launch.Tasks; k++)
        {
            s.Append(CultureInfo.InvariantCulture, $"            - {Q($"{parts}/part-{k}-of-{n}.jsonl")}\n");
        }

        foreach (string a in launch.Experiment[0] == "sweep" ? new[] { "--json", json, "--csv", csv } : ["--json", json])
        {
            s.Append(CultureInfo.InvariantCulture, $"            - {Q(a)}\n");
        }

        Volume(s, launch);
        return s.ToString();
    }

    private static void VolumeMount(StringBuilder s) =>
        s.Append(CultureInfo.InvariantCulture, $"          volumeMounts:\n            - name: results\n              mountPath: {MountPath}\n");

    private static void Volume(StringBuilder s, K8sLaunch launch)
    {
        VolumeMount(s);
        s.Append("      volumes:\n        - name: results\n          persistentVolumeClaim:\n");
        s.Append(CultureInfo.InvariantCulture, $"            claimName: {Q(launch.Claim)}\n");
    }

    /// <summary>A YAML double-quoted scalar (JSON string syntax is valid YAML).</summary>
    private static string Q(string text) => JsonSerializer.Serialize(text);

    internal static bool TryParse(string[] args, [NotNullWhen(true)] out K8sLaunch? launch, [NotNullWhen(false)] out string? error)
    {
        launch = null;
        int start = Array.IndexOf(args, "k8s-job") + 1;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = new List<string>();
        for (int i = start; i < args.Length; i++)
        {
            string a = args[i];
            int eq = a.IndexOf('=', StringComparison.Ordinal);
            string option = a.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? a[..eq] : a;
            if (ValueOptions.Contains(option))
            {
                string? value = option != a ? a[(eq + 1)..] : i + 1 < args.Length ? args[++i] : null;
                if (value is null)
                {
                    error = $"k8s-job: {option} needs a value";
                    return false;
                }

                values[option] = value;
            }
            else
            {
                rest.Add(a);
            }
        }

        if (rest.Count == 0 || !SlurmCommand.Shardable.Contains(rest[0]))
        {
            error = rest.Count == 0
                ? "k8s-job: give the experiment and its arguments, such as: kbp-sim k8s-job sweep FILE --vary traffic.rate=80Mbps,1Gbps --tasks 8 --image IMG"
                : $"k8s-job: unknown experiment '{rest[0]}': the experiments that can be sharded are {string.Join(", ", SlurmCommand.Shardable)}";
            return false;
        }

        if (rest.FirstOrDefault(r => SlurmCommand.Reserved.Contains(r.Split('=')[0])) is string reserved)
        {
            error = $"k8s-job: {reserved} is set by the launcher (each pod writes its part, the merge Job the result)";
            return false;
        }

        if (!values.TryGetValue("--image", out string? image) || image.Length == 0)
        {
            error = "k8s-job: --image IMG is required (an image with kbp-sim on PATH)";
            return false;
        }

        if (!TryCount(values, "--tasks", null, out int tasks, out error) || !TryCount(values, "--parallelism", tasks, out int parallelism, out error))
        {
            return false;
        }

        string name = values.GetValueOrDefault("--name") ?? "kbp-sim-" + rest[0];
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$"))
        {
            error = $"k8s-job: --name '{name}' must be a DNS label: lower-case letters, digits and '-', at most 42 characters";
            return false;
        }

        launch = new K8sLaunch(rest, tasks, parallelism, image, values.GetValueOrDefault("--claim") ?? "kbp-sim-results", name);
        error = null;
        return true;
    }

    private static bool TryCount(Dictionary<string, string> values, string option, int? fallback, out int count, [NotNullWhen(false)] out string? error)
    {
        count = 0;
        if (!values.TryGetValue(option, out string? text))
        {
            if (fallback is int f)
            {
                count = f;
                error = null;
                return true;
            }

            error = $"k8s-job: {option} N is required";
            return false;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count < 1 || count > Kbp.Sim.Models.Experiments.Shard.MaxCount)
        {
            error = $"k8s-job: {option} '{text}' must be a whole number from 1 to {Kbp.Sim.Models.Experiments.Shard.MaxCount}";
            return false;
        }

        error = null;
        return true;
    }
}

/// <summary>A parsed <c>kbp-sim k8s-job</c> command line.</summary>
internal sealed record K8sLaunch(IReadOnlyList<string> Experiment, int Tasks, int Parallelism, string Image, string Claim, string Name);
