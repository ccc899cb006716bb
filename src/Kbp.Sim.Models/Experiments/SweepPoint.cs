using Kbp.Sim.Randomness;

namespace Kbp.Sim.Models.Experiments;

/// <summary>
/// One point of a sweep: a value for every varied key. <see cref="Id"/> is its canonical
/// name, <c>key=value</c> pairs in <c>--vary</c> order joined by commas
/// (<c>traffic.rate=80Mbps,traffic.frameSize=64B</c>); the point's seed derives from the
/// run seed and this text only (<see cref="Seed"/>), so a point gives the same result in
/// any sweep that contains it, at any index, on any number of cores or shards.
/// </summary>
/// <param name="Index">Its position in the enumeration: 0, 1, ...; the first axis varies slowest.</param>
/// <param name="Id">The canonical name.</param>
/// <param name="Values">Key and value per axis, in axis order.</param>
public sealed record SweepPoint(int Index, string Id, IReadOnlyList<KeyValuePair<string, string>> Values)
{
    /// <summary>The most points a sweep may have.</summary>
    public const int MaxPoints = 100_000;

    /// <summary>The point's values as scenario overrides (<c>key=value</c>), appended after <c>--set</c>.</summary>
    public IReadOnlyList<string> Overrides => Values.Select(kv => $"{kv.Key}={kv.Value}").ToList();

    /// <summary>The canonical name of a point with these values.</summary>
    public static string IdOf(IEnumerable<KeyValuePair<string, string>> values) =>
        string.Join(",", values.Select(kv => $"{kv.Key}={kv.Value}"));

    /// <summary>The seed of the point named <paramref name="id"/> in a run with seed <paramref name="seed"/>.</summary>
    public static ulong Seed(ulong seed, string id) => RandomStreams.DeriveSeed(seed, "sweep/" + id);

    /// <summary>
    /// The cartesian product of <paramref name="axes"/> in a fixed order: like nested loops
    /// with the first axis outermost (varying slowest) and the last innermost.
    /// </summary>
    /// <param name="axes">The axes, at least one, each with at least one value.</param>
    /// <returns>The points, indexed 0, 1, ...</returns>
    /// <exception cref="ArgumentException">No axis, an axis without values, or more than <see cref="MaxPoints"/> points.</exception>
    public static IReadOnlyList<SweepPoint> Enumerate(IReadOnlyList<SweepAxis> axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        if (axes.Count == 0 || axes.Any(a => a.Values.Count == 0))
        {
            throw new ArgumentException("a sweep needs at least one axis, each with a value", nameof(axes));
        }

        long count = CountOf(axes);
        if (count > MaxPoints)
        {
            throw new ArgumentException($"the sweep has {count} points; at most {MaxPoints} are allowed", nameof(axes));
        }

        var points = new List<SweepPoint>((int)count);
        var digits = new int[axes.Count];
        for (int index = 0; index < count; index++)
        {
            var values = new KeyValuePair<string, string>[axes.Count];
            for (int a = 0; a < axes.Count; a++)
            {
                values[a] = new KeyValuePair<string, string>(axes[a].Key, axes[a].Values[digits[a]]);
            }

            points.Add(new SweepPoint(index, IdOf(values), values));

            // Odometer: the last axis turns fastest.
            for (int a = axes.Count - 1; a >= 0 && ++digits[a] == axes[a].Values.Count; a--)
            {
                digits[a] = 0;
            }
        }

        return points;
    }

    /// <summary>The number of points of the product, saturating at <see cref="long.MaxValue"/>.</summary>
    public static long CountOf(IReadOnlyList<SweepAxis> axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        long count = 1;
        foreach (SweepAxis axis in axes)
        {
            count = count > long.MaxValue / Math.Max(1, axis.Values.Count) ? long.MaxValue : count * axis.Values.Count;
        }

        return count;
    }
}
