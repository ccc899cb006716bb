namespace Kbp.Sim.Models.Experiments;

/// <summary>
/// The pass/fail map of <see cref="Capacity"/>: one trial per cell of a grid of frame sizes
/// and rates. The cells are enumerated in a fixed order, so that a grid can be split into
/// work units (<c>capacity --shard K/N</c>, <c>docs/scaling.md</c>) and put together again.
/// </summary>
public static partial class Capacity
{
    /// <summary>Every (frame size, rate) of the grid, in parallel; sizes and rates are sorted ascending.</summary>
    public static CapacityResult Grid(
        CapacitySetup setup, Slo slo, IReadOnlyList<int> frameSizes, IReadOnlyList<long> ratesBps, int maxParallelism = 0, Action<CapacityProgress>? progress = null)
    {
        IReadOnlyList<CapacityPoint> cells = GridCells(setup, frameSizes, ratesBps);
        IReadOnlyDictionary<int, CapacityTrialOutcome> outcomes = RunCells(setup, slo, cells, [.. Enumerable.Range(0, cells.Count)], maxParallelism, progress);
        return GridOf(setup, slo, frameSizes, ratesBps, [.. Enumerable.Range(0, cells.Count).Select(i => outcomes[i])]);
    }

    /// <summary>
    /// The cells of a grid in their fixed order, the work units of a sharded grid
    /// (<c>capacity --shard K/N</c>): frame sizes ascending, and within a frame size the rates
    /// ascending; a cell's index is its position and its id <see cref="CapacityPoint.Id"/>.
    /// </summary>
    public static IReadOnlyList<CapacityPoint> GridCells(CapacitySetup setup, IReadOnlyList<int> frameSizes, IReadOnlyList<long> ratesBps)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(frameSizes);
        ArgumentNullException.ThrowIfNull(ratesBps);
        long[] rates = [.. ratesBps.Distinct().Order()];
        return [.. frameSizes.Distinct().Order().SelectMany(f => rates.Select(r => new CapacityPoint(f, r, setup.RateIsL1)))];
    }

    /// <summary>
    /// Runs the trials of <paramref name="cells"/> at <paramref name="indexes"/>, in parallel,
    /// the longest first (frames offered), so that the last cells to start are short. A
    /// trial's seed derives from the run seed and its point only, so a cell's outcome does
    /// not depend on which other cells run beside it.
    /// </summary>
    /// <param name="setup">The scenario.</param>
    /// <param name="slo">The objective.</param>
    /// <param name="cells">The grid's cells (<see cref="GridCells"/>).</param>
    /// <param name="indexes">The cells to run.</param>
    /// <param name="maxParallelism">Trials at once; 0 for one per core.</param>
    /// <param name="progress">Called after every trial.</param>
    /// <param name="cellDone">Called with each cell's index and outcome as it finishes, one call at a time.</param>
    /// <returns>The outcomes by cell index.</returns>
    public static IReadOnlyDictionary<int, CapacityTrialOutcome> RunCells(
        CapacitySetup setup,
        Slo slo,
        IReadOnlyList<CapacityPoint> cells,
        IReadOnlyList<int> indexes,
        int maxParallelism = 0,
        Action<CapacityProgress>? progress = null,
        Action<int, CapacityTrialOutcome>? cellDone = null)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(indexes);
        var runner = new Runner(setup, slo, maxParallelism, indexes.Count, progress);
        var order = indexes.OrderByDescending(i => Math.Min(cells[i].FramesPerSecond, 2 * setup.Budget.MaxFramesPerSecond(cells[i].FrameBytes, conservative: false))).ToList();
        var outcomes = new Dictionary<int, CapacityTrialOutcome>();
        var gate = new object();
        runner.ForEach(order, i =>
        {
            CapacityTrialOutcome outcome = runner.Trial(cells[i]);
            lock (gate)
            {
                outcomes.Add(i, outcome);
                cellDone?.Invoke(i, outcome);
            }

            return 0;
        });
        return outcomes;
    }

    /// <summary>The grid result of the outcomes of every cell, given in cell order (<see cref="GridCells"/>).</summary>
    public static CapacityResult GridOf(CapacitySetup setup, Slo slo, IReadOnlyList<int> frameSizes, IReadOnlyList<long> ratesBps, IReadOnlyList<CapacityTrialOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(outcomes);
        int[] sizes = [.. frameSizes.Distinct().Order()];
        long[] rates = [.. ratesBps.Distinct().Order()];
        if (outcomes.Count != sizes.Length * rates.Length)
        {
            throw new ArgumentException("give one outcome per cell of the grid", nameof(outcomes));
        }

        bool l1 = setup.RateIsL1;
        var rows = new List<IReadOnlyList<CapacityTrialOutcome>>();
        for (int s = 0; s < sizes.Length; s++)
        {
            rows.Add([.. outcomes.Skip(s * rates.Length).Take(rates.Length)]);
        }

        var analytic = sizes.Select(f => (setup.Budget.MaxRateBps(f, l1, conservative: false), setup.Budget.MaxRateBps(f, l1, conservative: true))).ToList();
        var grid = new CapacityGrid(sizes, rates, l1, rows, analytic);
        return new CapacityResult(setup.Scenario.Name, CapacityQuestion.Grid, slo, setup.Seed, setup.TrialNs, 0, 0, setup.Budget, [], grid);
    }
}
