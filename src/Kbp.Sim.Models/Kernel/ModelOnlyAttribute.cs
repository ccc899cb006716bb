namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// Marks an options property that models a property of the real code rather than a knob of
/// it (a cost, a loop's duration): it has no module parameter, and the contract test
/// (<c>tests/Kbp.Sim.Tests/Contract</c>) knows not to look for one.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class ModelOnlyAttribute : Attribute
{
    /// <summary>Marks a model-only property; <paramref name="reason"/> says what it stands for.</summary>
    public ModelOnlyAttribute(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        Reason = reason;
    }

    /// <summary>What the property stands for in the real code.</summary>
    public string Reason { get; }
}
