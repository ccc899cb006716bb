namespace Kbp.Sim.Randomness;

/// <summary>
/// One component's random numbers: xoshiro256** (Blackman and Vigna, "Scrambled linear
/// pseudorandom number generators", 2021), seeded through SplitMix64. Integer-only state
/// updates and a 53-bit mantissa construction for doubles make the sequence identical on
/// every platform and runtime, which <see cref="System.Random"/>'s unseeded and
/// legacy-seeded algorithms do not promise. It derives from <see cref="System.Random"/>
/// so MathNet.Numerics distributions can sample from it.
/// </summary>
public sealed class RandomStream : Random
{
    private const double DoubleUnit = 1.0 / (1UL << 53);
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Creates a stream from a 64-bit seed.</summary>
    public RandomStream(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A double uniformly distributed in [0, 1).</summary>
    public override double NextDouble() => (NextUInt64() >> 11) * DoubleUnit;

    /// <summary>A float uniformly distributed in [0, 1).</summary>
    public override float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1U << 24));

    /// <summary>A non-negative int below <see cref="int.MaxValue"/>.</summary>
    public override int Next() => (int)Bounded(int.MaxValue);

    /// <summary>A non-negative int below <paramref name="maxValue"/>.</summary>
    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (int)Bounded((ulong)maxValue);
    }

    /// <summary>An int in [<paramref name="minValue"/>, <paramref name="maxValue"/>).</summary>
    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return (int)(minValue + (long)Bounded((ulong)((long)maxValue - minValue)));
    }

    /// <summary>A non-negative long below <see cref="long.MaxValue"/>.</summary>
    public override long NextInt64() => (long)Bounded(long.MaxValue);

    /// <summary>A non-negative long below <paramref name="maxValue"/>.</summary>
    public override long NextInt64(long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (long)Bounded((ulong)maxValue);
    }

    /// <summary>A long in [<paramref name="minValue"/>, <paramref name="maxValue"/>).</summary>
    public override long NextInt64(long minValue, long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return minValue + (long)Bounded((ulong)maxValue - (ulong)minValue);
    }

    /// <summary>Fills <paramref name="buffer"/> with random bytes.</summary>
    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    /// <summary>Fills <paramref name="buffer"/> with random bytes.</summary>
    public override void NextBytes(Span<byte> buffer)
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)(NextUInt64() >> 56);
        }
    }

    /// <summary>Used by <see cref="System.Random"/>'s remaining members.</summary>
    protected override double Sample() => NextDouble();

    /// <summary>Lemire's nearly-divisionless bounded integer, unbiased.</summary>
    private ulong Bounded(ulong range)
    {
        if (range == 0)
        {
            return 0;
        }

        ulong high = Math.BigMul(NextUInt64(), range, out ulong low);
        if (low < range)
        {
            ulong threshold = (0 - range) % range;
            while (low < threshold)
            {
                high = Math.BigMul(NextUInt64(), range, out low);
            }
        }

        return high;
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>SplitMix64 (Steele, Lea and Flood, OOPSLA 2014): spreads a seed over the state.</summary>
    internal static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
