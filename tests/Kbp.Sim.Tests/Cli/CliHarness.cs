using Kbp.Sim.Cli;

namespace Kbp.Sim.Tests.Cli;

/// <summary>Runs the kbp-sim command in this process, as a user would run it, and captures what it printed.</summary>
internal static class CliHarness
{
    /// <summary>The exit code and the standard output and error of <c>kbp-sim ARGS</c>.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = KbpSimCommand.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
