namespace Kbp.Sim.Processing;

/// <summary>
/// Told when a work item starts running, stops running (completion, preemption,
/// withdrawal, a closed gate), or runs on at a new speed. A nested
/// <see cref="Processor"/> observes its gate this way; a scheduler model can observe the
/// threads it accounts for.
/// </summary>
public interface IRunStateObserver
{
    /// <summary>Called after the change; <paramref name="item"/>'s state is already the new one.</summary>
    void OnRunStateChanged(WorkItem item);
}
