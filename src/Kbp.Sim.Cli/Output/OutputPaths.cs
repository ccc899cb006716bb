namespace Kbp.Sim.Cli.Output;

/// <summary>Checks output paths before a run, so that a bad one costs no simulation.</summary>
internal static class OutputPaths
{
    /// <summary>The first problem with <paramref name="paths"/> (null entries are skipped), as one line without the program name; null when all can be written.</summary>
    public static string? Problem(params string?[] paths)
    {
        foreach (string? path in paths)
        {
            if (path is null)
            {
                continue;
            }

            string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null && !Directory.Exists(dir))
            {
                return $"output directory '{dir}' does not exist";
            }

            if (Directory.Exists(path))
            {
                return $"output '{path}' is a directory; give a file name";
            }
        }

        return null;
    }

    /// <summary>The first problem with the output <paramref name="files"/>, else with the <c>--plot</c> directory; null when all can be written.</summary>
    public static string? ProblemWithPlot(string? plotDir, params string?[] files) => Problem(files) ?? PlotDirProblem(plotDir);

    /// <summary>The problem with a <c>--plot</c> directory (it must exist), as one line without the program name; null when it is absent or exists.</summary>
    public static string? PlotDirProblem(string? plotDir) =>
        plotDir is not null && !Directory.Exists(plotDir) ? $"--plot: directory '{plotDir}' does not exist" : null;
}
