namespace Kbp.Sim.Models.Kernel;

/// <summary>RT bandwidth (kernel/sched/rt.c: sched_rt_period_timer, sched_rt_runtime_exceeded) and its trace marks.</summary>
public sealed partial class RunQueue
{
    private void TraceMark(string context, string cause)
    {
        Kbp.Sim.Tracing.ITraceSink trace = _cpu.Kernel.Sim.Trace;
        if (trace.IsEnabled)
        {
            trace.Write(new Kbp.Sim.Tracing.TraceEvent(NowNs, Kbp.Sim.Tracing.TraceKind.Instant, _cpu.Processor.Name, _cpu.Processor.Cpu, context, Cause: cause));
        }
    }

    /// <summary>The rt_period timer: a new period refills the RT budget and unthrottles.</summary>
    private void RollRtPeriod(long now)
    {
        if (now - _rtPeriodStartNs < _options.RtPeriodNs)
        {
            return;
        }

        _rtPeriodStartNs = now - ((now - _rtPeriodStartNs) % _options.RtPeriodNs);
        _rtRuntimeInPeriodNs = 0;
        if (RtThrottled)
        {
            RtThrottled = false;
            TraceMark(RtUnthrottledMark, "a new rt_period: RT threads may run again");
            if (_rt.Count > 0)
            {
                NeedResched = true;
            }
        }
    }
}
