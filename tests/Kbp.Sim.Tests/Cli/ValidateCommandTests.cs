using Kbp.Sim.Cli;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Topologies;
using static Kbp.Sim.Tests.Cli.CliHarness;

namespace Kbp.Sim.Tests.Cli;

public class ValidateCommandTests
{
    [Theory]
    [InlineData("--seed", "minus-one")]
    [InlineData("--scenarios", "/no/such/directory")]
    [InlineData("--json", "/no/such/directory/v.json")]
    [InlineData("--suite", "everything")]
    public void Bad_input_is_one_line_and_exit_code_2(string option, string value)
    {
        (int code, string output, string error) = Run("validate", "--quick", option, value);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal(string.Empty, output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void A_scenarios_directory_without_the_paper_files_names_the_missing_file()
    {
        string dir = Directory.CreateTempSubdirectory("kbp-validate-").FullName;
        (int code, _, string error) = Run("validate", "--quick", "--scenarios", dir);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("vm-napi-80mbps-64b.yaml", error);
    }

    [Fact]
    public void The_claims_cover_every_figure_the_issue_lists_and_quick_runs_skip_only_rare_event_claims()
    {
        IReadOnlyList<PaperClaim> claims = PaperClaims.All;

        Assert.Equal(9, claims.Count(c => c.Source == "Fig. 9" && c.Text.EndsWith("zero-loss throughput", StringComparison.Ordinal)));
        Assert.Equal(3, claims.Count(c => c.Source == "Fig. 9" && c.Text.EndsWith("ordering", StringComparison.Ordinal)));
        Assert.Equal(8, claims.Count(c => c.Source == "Table 2"));
        Assert.Contains(claims, c => c.Paper == "2.20 µs");
        Assert.Contains(claims, c => c.Paper == "~282 B");

        // Upper bounds on a maximum hold a fortiori over a shorter run; lower bounds need the full run.
        Assert.All(claims.Where(c => c.Band == ">= 1 ms"), c => Assert.True(c.NeedsFullRun, c.Text));
        Assert.All(claims.Where(c => c.Band.StartsWith("< ", StringComparison.Ordinal)), c => Assert.False(c.NeedsFullRun, c.Text));
    }

    [Theory]
    [InlineData(3.6e9, true)]   // 0.69 of the paper's 5.25 Gbps: the necessary condition holds
    [InlineData(3.4e9, false)]  // 0.65: below x1/1.5 already over short trials, so also over 60 s
    [InlineData(9e9, true)]     // above x1.5: short trials say nothing about the upper end
    public void A_quick_run_checks_only_the_lower_end_of_a_Fig_9_band(double kbp1518Bps, bool holds)
    {
        PaperClaim claim = PaperClaims.All.Single(c => c.Text == "kbp 1518 B: zero-loss throughput");
        Rfc2544Result Result(double rateBps) => new(1, 0.02, 1_000_000_000, 1,
            [new ThroughputAtFrameSize(1518, 10_000_000_000, [new ThroughputSearch(1518, 0, 1, (long)rateBps, null, [])], null)]);
        var results = new SuiteResults(
            new Dictionary<string, SuiteRun>(),
            null!,
            new Dictionary<Datapath, Rfc2544Result> { [Datapath.Kbp] = Result(kbp1518Bps) },
            0);

        Assert.NotNull(claim.QuickMeasure);
        Assert.Equal(holds, claim.QuickMeasure(results).Holds);
        Assert.StartsWith(">= x1/1.5", claim.QuickBand, StringComparison.Ordinal);
        Assert.All(PaperClaims.All.Where(c => c.Text.EndsWith("ordering", StringComparison.Ordinal)), c => Assert.True(c.NeedsFullRun, c.Text));
    }
}
