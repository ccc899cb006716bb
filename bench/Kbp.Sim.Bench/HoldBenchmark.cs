using BenchmarkDotNet.Attributes;
using Kbp.Sim.Benchmarking;
using Kbp.Sim.Events;

namespace Kbp.Sim.Bench;

/// <summary>
/// The hold model (see <see cref="HoldModel"/>) on each event queue, at the queue sizes
/// the issue names and at the few dozen of a model run. One operation =
/// <see cref="EventsPerOperation"/> events, so
/// events/s = EventsPerOperation / mean time.
/// </summary>
[MemoryDiagnoser]
public class HoldBenchmark
{
    /// <summary>Events fired per benchmark operation.</summary>
    public const int EventsPerOperation = 1_000_000;

    private HoldModel _model = null!;

    /// <summary>Pending events N.</summary>
    [Params(30, 1_000, 100_000, 1_000_000)]
    public int Pending { get; set; }

    /// <summary>Which queue.</summary>
    [Params("radix", "quaternary", "adaptive")]
    public string Queue { get; set; } = "radix";

    /// <summary>Builds and pre-fills the model, then warms it up to steady state.</summary>
    [GlobalSetup]
    public void Setup()
    {
        IEventQueue queue = Queue switch
        {
            "radix" => new RadixHeap(),
            "quaternary" => new QuaternaryHeap(),
            _ => new AdaptiveQueue(),
        };
        _model = new HoldModel(new Simulator(1, queue: queue), Pending);
        _model.Advance(EventsPerOperation);
    }

    /// <summary>Fires one million events.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerOperation)]
    public void Hold() => _model.Advance(EventsPerOperation);
}
