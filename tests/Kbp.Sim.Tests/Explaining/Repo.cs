using Kbp.Sim.Models.Scenarios;
using Kbp.Sim.Models.Topologies;
using Kbp.Sim.Tests.Cli;
using Kbp.Sim.Tests.Contract;

namespace Kbp.Sim.Tests.Explaining;

/// <summary>Repository files and the command line, for the explain/trace/plot tests.</summary>
internal static class Repo
{
    public static string File(params string[] parts) => RepositoryFiles.PathOf(parts);

    public static string Teaching(string name) => File("scenarios", "teaching", name + ".yaml");

    public static ScenarioSpec Load(string path, params string[] overrides) => ScenarioLoader.Load(path, null, overrides);

    public static VmSpec Vm(string path, params string[] overrides) => VmScenario.ToVmSpec(Load(path, overrides));

    public static (int Code, string Out, string Err) Cli(params string[] args) => CliHarness.Run(args);

    public static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"kbp-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}
