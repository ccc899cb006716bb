using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Kbp.Sim.Cli.Output;

/// <summary>
/// Writing and reading the part file of one shard (<c>--shard K/N</c>), for the experiments
/// whose work units are lines keyed by index: each finished unit is appended at once, as one
/// flushed line, to <c>part-K-of-N.jsonl.partial</c>; the part itself is written atomically,
/// lines in index order, when the shard is complete, and the <c>.partial</c> file is then
/// removed. A reader never sees a half-written part; a stopped task leaves whole lines.
/// </summary>
internal static class PartFile
{
    /// <summary>The complete lines (those ending in a line break) of every <c>*.jsonl</c> and <c>*.jsonl.partial</c> file in <paramref name="dir"/>, in file-name order.</summary>
    public static IEnumerable<string> CompleteLines(string dir)
    {
        foreach (string path in Directory.GetFiles(dir, "*.jsonl").Concat(Directory.GetFiles(dir, "*.jsonl.partial")).Order(StringComparer.Ordinal))
        {
            string[] texts = File.ReadAllText(path).Split('\n');
            for (int i = 0; i < texts.Length - 1; i++)
            {
                yield return texts[i];
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="partPath"/>: the lines already in <paramref name="lines"/> (resumed),
    /// then those <paramref name="run"/> adds through the callback it is given (index, line; one
    /// call at a time), each appended to the <c>.partial</c> file as it comes.
    /// </summary>
    /// <returns>False, with one line on <paramref name="error"/>, when a file cannot be written.</returns>
    public static bool TryWrite(TextWriter error, string partPath, SortedDictionary<int, string> lines, Action<Action<int, string>> run)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(run);
        string partialPath = partPath + ".partial";
        try
        {
            using (var partial = new StreamWriter(partialPath, append: false, new UTF8Encoding(false)))
            {
                foreach (string line in lines.Values)
                {
                    partial.Write(line + "\n");
                }

                partial.Flush();
                run((index, line) =>
                {
                    partial.Write(line + "\n");
                    partial.Flush();
                    lines.Add(index, line);
                });
            }

            AtomicFile.Write(partPath, w =>
            {
                foreach (string line in lines.Values)
                {
                    w.Write(line + "\n");
                }
            });
            File.Delete(partialPath);
            return true;
        }
        catch (Exception e) when (IsWriteFailure(e))
        {
            Exception first = e is AggregateException a ? a.Flatten().InnerExceptions[0] : e;
            error.WriteLine($"kbp-sim: cannot write the part: {first.Message.ReplaceLineEndings(" ")}");
            return false;
        }
    }

    /// <summary>Reads the lines of <paramref name="paths"/> (file, line number, text), the last empty line of each left out.</summary>
    /// <returns>False, with one line in <paramref name="error"/>, when a file does not exist.</returns>
    public static bool TryReadLines(IReadOnlyList<string> paths, out List<(string Path, int Line, string Text)> texts, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(paths);
        texts = [];
        foreach (string path in paths)
        {
            if (!File.Exists(path))
            {
                error = $"merge: part '{path}' does not exist";
                return false;
            }

            string[] lines = File.ReadAllText(path).Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                if (!(lines[i].Length == 0 && i == lines.Length - 1))
                {
                    texts.Add((path, i + 1, lines[i]));
                }
            }
        }

        error = null;
        return true;
    }

    /// <summary>A failed write, also when it happened on a worker thread (appending a finished unit).</summary>
    private static bool IsWriteFailure(Exception e) =>
        e is IOException or UnauthorizedAccessException
        || (e is AggregateException a && a.Flatten().InnerExceptions.All(i => i is IOException or UnauthorizedAccessException));
}
