using System.Runtime.CompilerServices;

namespace Kbp.Sim.Tests.Scenarios;

/// <summary>
/// Finds the scenario test data (BadInput/, Good/, Profiles/) in the source tree, so that the
/// test project does not have to copy it: first beside this source file, else by walking up
/// from the test binary or the working directory to Kbp.Sim.sln.
/// </summary>
internal static class ScenarioTestFiles
{
    private static readonly Lazy<string> Folder = new(Locate);

    /// <summary>The absolute path of tests/Kbp.Sim.Tests/Scenarios.</summary>
    public static string Directory => Folder.Value;

    /// <summary>A path inside that folder.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Directory, .. parts]);

    private static string Locate() => Locate(ThisFile());

    private static string ThisFile([CallerFilePath] string path = "") => path;

    private static string Locate(string sourceFile)
    {
        string? besideSource = Path.GetDirectoryName(sourceFile);
        if (besideSource is not null && System.IO.Directory.Exists(Path.Combine(besideSource, "BadInput")))
        {
            return besideSource;
        }

        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Kbp.Sim.sln")))
                {
                    return Path.Combine(dir.FullName, "tests", "Kbp.Sim.Tests", "Scenarios");
                }
            }
        }

        throw new InvalidOperationException($"Cannot find the scenario test data from {sourceFile} or {AppContext.BaseDirectory}.");
    }
}

/// <summary>A temporary folder for files a test writes; deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kbp-sim-scenarios-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes a file (creating folders) and returns its full path.</summary>
    public string Write(string relativePath, string text)
    {
        string full = System.IO.Path.Combine(Path, relativePath);
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
