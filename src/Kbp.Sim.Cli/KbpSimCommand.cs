using System.CommandLine;
using Kbp.Sim.Cli.Commands;

namespace Kbp.Sim.Cli;

/// <summary>The <c>kbp-sim</c> command line: builds the command tree and runs it.</summary>
public static class KbpSimCommand
{
    /// <summary>
    /// Parses <paramref name="args"/> and runs the command. A parse or validation error
    /// prints one line on <paramref name="error"/> and returns <see cref="ExitCodes.BadInput"/>.
    /// </summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand(
            "Kbp.Sim: a discrete-event simulator of the Linux packet path under NAPI and a kernel busy-poll thread (KBP).");
        root.Subcommands.Add(RunCommand.Create(output, error));
        root.Subcommands.Add(BenchCommand.Create(output, error));
        root.Subcommands.Add(SweepCommand.Create(output, error));
        root.Subcommands.Add(Rfc2544Command.Create(output, error));
        root.Subcommands.Add(CapacityCommand.Create(output, error));
        root.Subcommands.Add(ValidateCommand.Create(output, error));
        root.Subcommands.Add(ExplainCommand.Create(output, error));
        root.Subcommands.Add(TraceCommand.Create(output, error));
        root.Subcommands.Add(PlotCommand.Create(output, error));
        root.Subcommands.Add(CalibrateCommand.Create(output, error));
        root.Subcommands.Add(RealKernelCommand.Create(output, error));
        root.Subcommands.Add(MergeCommand.Create(output, error));
        root.Subcommands.Add(SlurmCommand.Create(output, error, args));
        root.Subcommands.Add(K8sJobCommand.Create(output, error, args));

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            string messages = string.Join("; ", parsed.Errors.Select(e => e.Message).Distinct());
            error.WriteLine($"kbp-sim: {messages} (see 'kbp-sim --help')");
            return ExitCodes.BadInput;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
