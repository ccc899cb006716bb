using Kbp.Sim.Cli;
using Kbp.Sim.Cli.Plots;

namespace Kbp.Sim.Tests.Explaining;

/// <summary>Every plot kind is written as a non-empty PNG (and an SVG).</summary>
public class PlotTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static void AssertPng(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 5_000, $"{path}: {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes.Take(8).ToArray());
        Assert.True(new FileInfo(Path.ChangeExtension(path, ".svg")).Length > 1_000);
    }

    [Fact]
    public void Plot_writes_the_CCDF_the_stages_the_intervals_and_the_timeline()
    {
        string dir = Repo.TempDir();
        (int code, string output, string error) = Repo.Cli("plot", Repo.Teaching("ksoftirqd-starved"), "--compare", Repo.Teaching("kbp-removes-deferral"), "--duration", "60ms", "--out", dir);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Empty(error);
        foreach (string name in new[] { "ccdf", "stages", "intervals", "timeline" })
        {
            AssertPng(Path.Combine(dir, name + ".png"));
            Assert.Contains(name + ".png", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Run_with_plot_writes_the_plots_beside_its_summary()
    {
        string dir = Repo.TempDir();
        (int code, string output, _) = Repo.Cli("run", Repo.Teaching("vcpu-preemption"), "--duration", "40ms", "--plot", dir);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("scenario vcpu-preemption", output, StringComparison.Ordinal);
        AssertPng(Path.Combine(dir, "ccdf.png"));
        AssertPng(Path.Combine(dir, "timeline.png"));
    }

    [Fact]
    public void The_paper_comparison_is_a_bar_per_claim()
    {
        string dir = Repo.TempDir();
        var claims = new List<(string, double, bool)>
        {
            ("Fig. 9: NAPI 64 B: zero-loss throughput", 0.8, true),
            ("Fig. 9: KBP 1518 B: zero-loss throughput", 2.1, false),
            ("Fig. 8: vm-kbp-1gbps-1518b: max RTT", 1.1, true),
        };
        AssertPng(PlotFiles.Save(Charts.PaperRatios(claims, "simulated against the paper"), dir, "paper", 1400, 800));
    }

    [Fact]
    public void A_missing_plot_directory_is_one_line_and_exit_2()
    {
        (int code, string output, string error) = Repo.Cli("plot", Repo.Teaching("vcpu-preemption"), "--out", Path.Combine(Repo.TempDir(), "missing"));

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Sweep_and_rfc2544_write_their_bar_charts()
    {
        string dir = Repo.TempDir();
        (int sweep, _, _) = Repo.Cli("sweep", Repo.Teaching("vcpu-preemption"), "--vary", "datapath=napi,kbp", "--duration", "30ms", "--plot", dir);
        (int rfc, _, _) = Repo.Cli("rfc2544", Repo.Teaching("vcpu-preemption"), "--frame-sizes", "1518", "--trial", "20ms", "--repetitions", "1", "--resolution", "20%", "--plot", dir);

        Assert.Equal(ExitCodes.Ok, sweep);
        Assert.Equal(ExitCodes.Ok, rfc);
        AssertPng(Path.Combine(dir, "sweep.png"));
        AssertPng(Path.Combine(dir, "rfc2544.png"));
    }
}
