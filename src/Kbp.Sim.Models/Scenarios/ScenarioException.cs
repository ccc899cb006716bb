namespace Kbp.Sim.Models.Scenarios;

/// <summary>
/// Bad scenario input. <see cref="OneLine"/> (also the <see cref="Exception.Message"/>) is the
/// first problem found, followed by "(and N more)" when there were others; the CLI prints it
/// on stderr and exits with code 2. <see cref="Errors"/> holds every problem, for tests and
/// for a <c>validate</c>-style listing.
/// </summary>
public sealed class ScenarioException : Exception
{
    /// <summary>Creates the exception for one or more problems.</summary>
    /// <param name="errors">The problems, most useful first; at least one.</param>
    public ScenarioException(IReadOnlyList<ScenarioError> errors)
        : base(Summarize(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception for one problem.</summary>
    /// <param name="error">The problem.</param>
    public ScenarioException(ScenarioError error)
        : this([error])
    {
    }

    /// <summary>Every problem found, in the order reported.</summary>
    public IReadOnlyList<ScenarioError> Errors { get; }

    /// <summary>The message to show the user: one line, no stack trace.</summary>
    public string OneLine => Message;

    private static string Summarize(IReadOnlyList<ScenarioError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count == 0)
        {
            throw new ArgumentException("A scenario exception needs at least one error.", nameof(errors));
        }

        return errors.Count == 1 ? errors[0].Line : $"{errors[0].Line} (and {errors.Count - 1} more)";
    }
}
