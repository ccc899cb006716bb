using Kbp.Sim.Cli;
using Kbp.Sim.Models.Experiments;

namespace Kbp.Sim.Tests.Cli;

public class ValidateCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = KbpSimCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

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
}
