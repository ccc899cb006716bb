using Kbp.Sim.Cli;

namespace Kbp.Sim.Tests.Cli;

public class KbpSimCommandTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = KbpSimCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Version_and_help_exit_zero()
    {
        (int code, string output, _) = Run("--version");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", output);

        (code, output, _) = Run("--help");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("bench", output);
    }

    [Fact]
    public void Bench_hold_prints_events_per_second()
    {
        (int code, string output, string error) = Run("bench", "hold", "--pending", "100", "--events", "20000", "--seed", "3");
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Empty(error);
        Assert.Matches(@"^hold: pending 100, events 20,000, elapsed \d+\.\d{3} s, \d+\.\d{2} M events/s\s*$", output);
    }

    [Theory]
    [InlineData("bench", "hold", "--pending", "abc")]
    [InlineData("bench", "hold", "--pending", "0")]
    [InlineData("bench", "hold", "--events", "-5")]
    [InlineData("bench", "hold", "--pending", "99999999999")]
    [InlineData("no-such-command")]
    [InlineData("bench", "hold", "--no-such-option")]
    public void Bad_input_gets_one_line_and_exit_code_2(params string[] args)
    {
        (int code, string output, string error) = Run(args);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("kbp-sim: ", error);
    }
}
