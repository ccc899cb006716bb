using Kbp.Sim.Tests.Scenarios;

namespace Kbp.Sim.Tests.Contract;

/// <summary>Files of the repository the tests read in place (the module source, its fixtures, scenarios).</summary>
internal static class RepositoryFiles
{
    /// <summary>The repository's root: three levels above tests/Kbp.Sim.Tests/Scenarios.</summary>
    public static string Root => Path.GetFullPath(Path.Combine(ScenarioTestFiles.Directory, "..", "..", ".."));

    /// <summary>A path below the root.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A scenario file of scenarios/paper/, by file name.</summary>
    public static string PaperScenario(string fileName) => PathOf("scenarios", "paper", fileName);

    /// <summary>kernel-module/kbp.c.</summary>
    public static string ModuleSource => PathOf("kernel-module", "kbp.c");

    /// <summary>A fixture of the module's QEMU test (kernel-module/test/fixtures).</summary>
    public static string Fixture(string name) => PathOf("kernel-module", "test", "fixtures", name);
}
