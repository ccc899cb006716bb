namespace Kbp.Sim.Models.Calibration;

/// <summary>One event line of a kernel trace.</summary>
/// <param name="Task">The task name (comm), e.g. "ksoftirqd/1" or "&lt;idle&gt;".</param>
/// <param name="Pid">Its pid.</param>
/// <param name="Cpu">The CPU the event happened on.</param>
/// <param name="TimeNs">The timestamp, ns.</param>
/// <param name="Name">The event name, e.g. "softirq_entry".</param>
/// <param name="Fields">Its key=value fields (values without brackets), e.g. vec → 3.</param>
/// <param name="Args">The event's text after its name, for formats without key=value (napi_poll's "work 3 budget 64").</param>
public sealed record FtraceEvent(string Task, int Pid, int Cpu, long TimeNs, string Name, IReadOnlyDictionary<string, string> Fields, string Args)
{
    /// <summary>A field as an integer, or null when absent or not a number.</summary>
    public long? Int(string key) =>
        Fields.TryGetValue(key, out string? text) && long.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long value) ? value : null;
}
