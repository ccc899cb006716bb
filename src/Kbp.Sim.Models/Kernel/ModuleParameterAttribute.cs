namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// Marks an options property as the model of a kernel module parameter
/// (<c>module_param</c> in <c>kernel-module/kbp.c</c>): the same knob, under the module's
/// name, with the module's default and accepted range. The contract test
/// (<c>tests/Kbp.Sim.Tests/Contract</c>) parses the module source and compares both sides.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class ModuleParameterAttribute : Attribute
{
    /// <summary>Names the module parameter <paramref name="name"/>.</summary>
    public ModuleParameterAttribute(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>The module parameter's name, as <c>insmod kbp.ko NAME=value</c> writes it.</summary>
    public string Name { get; }

    /// <summary>The key of the same knob in a scenario's <c>host.kbp</c> / <c>guest.kbp</c> section.</summary>
    public string ScenarioKey { get; init; } = string.Empty;

    /// <summary>
    /// True when a scenario derives the key's default from other keys instead of
    /// <see cref="Scenarios.ScenarioDefaults"/> (<c>kbp.cpus</c> defaults to the CPU taking the
    /// interrupt, where the module forwards from other CPUs).
    /// </summary>
    public bool ScenarioDefaultIsDerived { get; init; }

    /// <summary>The smallest value the module accepts; <see cref="int.MinValue"/> for no bound.</summary>
    public int Minimum { get; init; } = int.MinValue;

    /// <summary>The largest value the module accepts; <see cref="int.MaxValue"/> for no bound.</summary>
    public int Maximum { get; init; } = int.MaxValue;
}
