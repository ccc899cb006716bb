namespace Kbp.Sim.Tracing;

/// <summary>The default sink: disabled, keeps nothing.</summary>
public sealed class NullTraceSink : ITraceSink
{
    /// <summary>The one instance.</summary>
    public static readonly NullTraceSink Instance = new();

    private NullTraceSink()
    {
    }

    /// <inheritdoc/>
    public bool IsEnabled => false;

    /// <inheritdoc/>
    public void Write(in TraceEvent traceEvent)
    {
    }
}
