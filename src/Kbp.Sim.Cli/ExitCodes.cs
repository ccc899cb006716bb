namespace Kbp.Sim.Cli;

/// <summary>The process exit codes of <c>kbp-sim</c>.</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>A check failed (e.g. a validation band did not hold).</summary>
    public const int CheckFailed = 1;

    /// <summary>Bad input: a command line or scenario file the program cannot accept.</summary>
    public const int BadInput = 2;
}
