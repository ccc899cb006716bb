namespace Kbp.Sim.Models.Kernel;

/// <summary>
/// net_rx_action() (net/core/dev.c), the NET_RX softIRQ handler, with the CPU's poll_list
/// (softnet_data.poll_list). It splices the list, polls each napi in turn (at most its
/// weight each) until the list is empty, netdev_budget (300) frames are done or 2 jiffies
/// passed (time_squeeze); napis that used their whole weight go to the tail; if anything
/// is left it re-raises NET_RX (kernel-mechanics §2.3).
/// </summary>
public sealed class NetRxAction
{
    private readonly KernelCpu _cpu;
    private readonly LinkedList<Napi> _list = new();
    private readonly List<Napi> _repoll = new();

    internal NetRxAction(KernelCpu cpu) => _cpu = cpu;

    /// <summary>The CPU's poll_list.</summary>
    public LinkedList<Napi> PollList { get; } = new();

    /// <summary>Times the budget or time limit ended a run with work left (softnet_stat time_squeeze).</summary>
    public long TimeSqueeze { get; private set; }

    /// <summary>Runs net_rx_action in <paramref name="context"/>, then <paramref name="done"/>.</summary>
    public void Run(IExecutionContext context, Action done)
    {
        Kernel kernel = _cpu.Kernel;
        long timeLimitJiffy = kernel.Jiffies + kernel.Options.NetdevBudgetJiffies;
        int budget = kernel.Options.NetdevBudget;
        foreach (Napi n in PollList)
        {
            _list.AddLast(n);
        }

        PollList.Clear();
        _repoll.Clear();

        void Next()
        {
            if (_list.Count == 0)
            {
                Finish();
                return;
            }

            Napi napi = _list.First!.Value;
            _list.RemoveFirst();
            napi.Poll(context, napi.Weight, work =>
            {
                if (work == napi.Weight)
                {
                    _repoll.Add(napi);
                }

                budget -= work;
                if (budget <= 0 || kernel.Jiffies >= timeLimitJiffy)
                {
                    TimeSqueeze++;
                    Finish();
                    return;
                }

                Next();
            });
        }

        void Finish()
        {
            // Unprocessed first, then napis scheduled meanwhile, then those that used their weight.
            foreach (Napi n in PollList)
            {
                _list.AddLast(n);
            }

            PollList.Clear();
            foreach (Napi n in _list)
            {
                PollList.AddLast(n);
            }

            _list.Clear();
            foreach (Napi n in _repoll)
            {
                PollList.AddLast(n);
            }

            _repoll.Clear();
            if (PollList.Count > 0)
            {
                _cpu.Softirq.RaiseIrqOff(SoftirqVector.NetRx);
            }

            done();
        }

        Next();
    }
}
