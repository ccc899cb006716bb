using Kbp.Sim.Processing;

namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// Runs steps of work through one <see cref="WorkItem"/> on a CPU's processor: submit the
/// step's cost, call the continuation when it completes. A continuation that submits the
/// next step keeps the CPU (the processor's continuation rule).
/// </summary>
internal sealed class SectionRunner : IExecutionContext
{
    private readonly WorkItem _item;
    private Action? _next;

    public SectionRunner(KernelCpu cpu, string label, int priorityClass)
    {
        Cpu = cpu;
        _item = new WorkItem(label, priorityClass, OnCompleted);
    }

    public KernelCpu Cpu { get; }

    public WorkItem Item => _item;

    public bool IsBusy => _item.State != WorkState.Idle;

    public void Execute(long workNs, Action next)
    {
        _next = next;
        Cpu.Processor.Submit(_item, workNs);
    }

    private void OnCompleted(WorkItem item)
    {
        Action next = _next!;
        _next = null;
        next();
    }
}
