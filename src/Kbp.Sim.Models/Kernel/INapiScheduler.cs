namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// __napi_schedule / __napi_schedule_irqoff: what happens to a napi once its IRQ handler
/// scheduled it. The stock kernel queues it on the CPU's poll_list and raises NET_RX; the
/// KBP livepatch hands it to the CPU's KBP thread instead.
/// </summary>
public interface INapiScheduler
{
    /// <summary>Called with the SCHED bit just set.</summary>
    void Schedule(Napi napi);
}
