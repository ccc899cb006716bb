using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Kbp.Sim.Models.Experiments;

/// <summary>
/// One work unit of an experiment split across machines (<c>--shard K/N</c>): the points
/// whose index is congruent to <see cref="Index"/> modulo <see cref="Count"/>. Points are
/// enumerated in a fixed order and a point's seed depends on its id only
/// (<see cref="SweepPoint.Seed"/>), so a point gives the same result in any shard, and the
/// shards together give exactly the unsharded run. See <c>docs/scaling.md</c>.
/// </summary>
/// <param name="Index">K, in 0..N-1.</param>
/// <param name="Count">N, at least 1.</param>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>The most shards a run may be split into (a sweep has at most <see cref="SweepPoint.MaxPoints"/> points).</summary>
    public const int MaxCount = SweepPoint.MaxPoints;

    /// <summary>The file name of this shard's part: <c>part-K-of-N.jsonl</c>.</summary>
    public string PartFileName => string.Create(CultureInfo.InvariantCulture, $"part-{Index}-of-{Count}.jsonl");

    /// <summary>True when the point at <paramref name="pointIndex"/> belongs to this shard.</summary>
    public bool Contains(int pointIndex) => pointIndex % Count == Index;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    /// <summary>Parses <c>K/N</c> with 0 ≤ K &lt; N ≤ <see cref="MaxCount"/>.</summary>
    /// <param name="text">The argument of <c>--shard</c>.</param>
    /// <param name="shard">The shard when the parse succeeds.</param>
    /// <param name="error">One line saying what is wrong, when it fails.</param>
    /// <returns>True when <paramref name="text"/> is a valid shard.</returns>
    public static bool TryParse(string? text, out Shard shard, [NotNullWhen(false)] out string? error)
    {
        shard = default;
        string[] parts = (text ?? string.Empty).Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            || !int.TryParse(parts[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n))
        {
            error = $"--shard '{text}' is not K/N: expected the shard's index and the number of shards, such as --shard 0/4";
            return false;
        }

        if (n < 1 || n > MaxCount)
        {
            error = $"--shard {text}: the number of shards must be 1 to {MaxCount}";
            return false;
        }

        if (k >= n)
        {
            error = $"--shard {text}: the index must be 0 to {n - 1}";
            return false;
        }

        shard = new Shard(k, n);
        error = null;
        return true;
    }
}
