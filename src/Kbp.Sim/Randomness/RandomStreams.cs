using System.Text;

namespace Kbp.Sim.Randomness;

/// <summary>
/// The random streams of one run. Each component asks for its stream by a stable name
/// ("tester", "host/cpu3/interference"); the stream's seed is a function of (run seed,
/// name) only, so adding a component never shifts the numbers another one draws, and the
/// same seed gives the same run on every machine.
/// </summary>
public sealed class RandomStreams
{
    private readonly Dictionary<string, RandomStream> _streams = new(StringComparer.Ordinal);

    /// <summary>Creates the streams of a run with seed <paramref name="seed"/>.</summary>
    public RandomStreams(ulong seed) => Seed = seed;

    /// <summary>The run seed.</summary>
    public ulong Seed { get; }

    /// <summary>
    /// The stream of component <paramref name="componentName"/>; asking twice returns the
    /// same stream object, continuing where it was.
    /// </summary>
    public RandomStream For(string componentName)
    {
        ArgumentException.ThrowIfNullOrEmpty(componentName);
        if (!_streams.TryGetValue(componentName, out RandomStream? stream))
        {
            stream = new RandomStream(DeriveSeed(Seed, componentName));
            _streams.Add(componentName, stream);
        }

        return stream;
    }

    /// <summary>
    /// The seed of a named stream: FNV-1a of the name's UTF-8 bytes (stable, unlike
    /// <see cref="string.GetHashCode()"/>, which is randomized per process), mixed with the
    /// run seed through SplitMix64.
    /// </summary>
    public static ulong DeriveSeed(ulong runSeed, string name)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (byte b in Encoding.UTF8.GetBytes(name))
        {
            hash = (hash ^ b) * 0x100000001B3UL;
        }

        ulong x = runSeed ^ RandomStream.SplitMix64(ref hash);
        return RandomStream.SplitMix64(ref x);
    }
}
