using ScottPlot;

namespace Kbp.Sim.Cli.Plots;

/// <summary>Saves a plot as NAME.png and NAME.svg in a directory, each written beside its target and renamed when complete.</summary>
internal static class PlotFiles
{
    public const int Width = 1000;
    public const int Height = 600;

    /// <summary>Writes <paramref name="plot"/> to DIR/NAME.png and DIR/NAME.svg; returns the PNG's path.</summary>
    public static string Save(Plot plot, string directory, string name, int width = Width, int height = Height)
    {
        string png = Path.Combine(directory, name + ".png");
        string svg = Path.Combine(directory, name + ".svg");
        Atomically(png, temp => plot.SavePng(temp, width, height));
        Atomically(svg, temp => plot.SaveSvg(temp, width, height));
        return png;
    }

    private static void Atomically(string path, Action<string> write)
    {
        string full = Path.GetFullPath(path);
        string temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileNameWithoutExtension(full)}.{Environment.ProcessId}.tmp{Path.GetExtension(full)}");
        try
        {
            write(temp);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Ticks at the powers of ten between <paramref name="lowExp"/> and <paramref name="highExp"/> (the axis plots log10 of the value), labelled by <paramref name="label"/>.</summary>
    public static ScottPlot.TickGenerators.NumericManual LogTicks(int lowExp, int highExp, Func<int, string> label)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int e = lowExp; e <= highExp; e++)
        {
            ticks.AddMajor(e, label(e));
            for (int m = 2; m <= 9; m++)
            {
                if (e < highExp)
                {
                    ticks.AddMinor(e + Math.Log10(m));
                }
            }
        }

        return ticks;
    }

    /// <summary>A time in µs as a human label for a log10(µs) tick: 100ns, 1us, 10us, 1ms.</summary>
    public static string MicrosecondsLabel(int exp) => exp switch
    {
        <= -3 => $"{Math.Pow(10, exp + 3):0.###}ns",
        -2 => "10ns",
        -1 => "100ns",
        0 => "1us",
        1 => "10us",
        2 => "100us",
        3 => "1ms",
        4 => "10ms",
        5 => "100ms",
        _ => $"{Math.Pow(10, exp - 6):0.###}s",
    };
}
