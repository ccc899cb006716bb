using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kbp.Sim.Cli.Output;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Hardware;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Tests.Cli;

/// <summary>Merging the parts of a sharded sweep gives the unsharded sweep's files, byte for byte.</summary>
public class ShardMergeProperties
{
    /// <summary>A sweep of random axes and rows with random numbers, as <c>Sweep.Run</c> could return them.</summary>
    private static (PartHeader Header, IReadOnlyList<SweepRow> Rows) RandomSweep(int seed)
    {
        var random = new Random(seed);
        int axisCount = random.Next(1, 4);
        var axes = new List<SweepAxis>();
        for (int a = 0; a < axisCount; a++)
        {
            int values = random.Next(1, 5);
            axes.Add(new SweepAxis($"key{a}.sub", Enumerable.Range(0, values).Select(v => $"{v * 37 + a}Mbps").ToList()));
        }

        IReadOnlyList<SweepPoint> points = SweepPoint.Enumerate(axes);
        var rows = new List<SweepRow>();
        foreach (SweepPoint point in points)
        {
            var lost = new Dictionary<DropReason, long>();
            foreach (DropReason reason in Enum.GetValues<DropReason>().Where(_ => random.Next(2) == 0))
            {
                lost.Add(reason, random.NextInt64(0, 1_000_000));
            }

            double[] shares = Enumerable.Range(0, random.Next(0, 4)).Select(_ => random.NextDouble()).OrderDescending().ToArray();
            WaitCause[] causes = Enum.GetValues<WaitCause>();
            rows.Add(new SweepRow(
                point,
                (ulong)random.NextInt64() * 3,
                random.Next(1, 10),
                random.Next(2) == 0 ? TesterMode.Echo : TesterMode.OneWay,
                new FrameCounts(random.NextInt64(0, 1L << 40), random.NextInt64(), random.NextInt64(), random.NextInt64(), random.NextInt64(0, 100), lost),
                random.NextDouble() / random.Next(1, 1000),
                new LatencySummary(random.NextInt64(), random.NextInt64(), random.NextDouble() * 1e7, random.NextInt64(), random.NextInt64(), random.NextInt64(), random.NextInt64(), random.NextInt64()),
                Enumerable.Range(0, random.Next(1, 4)).Select(_ => random.NextInt64()).ToList(),
                random.NextInt64(0, 1000),
                random.NextDouble() * 1e3,
                shares.Select(s => new TailCause(causes[random.Next(causes.Length)], s)).ToList(),
                random.NextInt64(0, 1L << 40))); // the table sums events over the points
        }

        ulong? runSeed = random.Next(3) == 0 ? null : (ulong)random.NextInt64();
        return (new PartHeader("1.2.3", "scenario-" + seed, runSeed, axes, ["traffic.duration=10ms", "nic.rate=10Gbps"]), rows);
    }

    private static string Text(Action<TextWriter> write)
    {
        var w = new StringWriter();
        write(w);
        return w.ToString();
    }

    [Property(MaxTest = 60)]
    public Property Merging_the_shards_gives_the_unsharded_json_and_csv_for_any_number_of_shards_and_any_order_of_parts()
    {
        Gen<(int Seed, int Shards, int Order)> cases =
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from shards in Gen.Choose(1, 8)
            from order in Gen.Choose(0, int.MaxValue - 1)
            select (seed, shards, order);
        return Prop.ForAll(cases.ToArbitrary(), c =>
        {
            (PartHeader header, IReadOnlyList<SweepRow> rows) = RandomSweep(c.Seed);
            string dir = Directory.CreateTempSubdirectory("kbp-merge-prop-").FullName;
            try
            {
                var parts = new List<string>();
                for (int k = 0; k < c.Shards; k++)
                {
                    var shard = new Shard(k, c.Shards);
                    string path = Path.Combine(dir, shard.PartFileName);
                    File.WriteAllText(path, string.Concat(rows.Where(r => shard.Contains(r.Point.Index)).Select(r => PartJson.Line(header, r) + "\n")));
                    parts.Add(path);
                }

                var shuffle = new Random(c.Order);
                string[] given = parts.OrderBy(_ => shuffle.Next()).ToArray();
                bool merged = PartMerge.TryMerge(given, out PartHeader? back, out IReadOnlyList<SweepRow>? mergedRows, out string? error);

                return merged
                    && Text(w => SweepJson.Write(w, back!.Scenario, back.RunSeed, back.Vary, mergedRows!)) == Text(w => SweepJson.Write(w, header.Scenario, header.RunSeed, header.Vary, rows))
                    && Text(w => SweepCsv.Write(w, back!.Vary, mergedRows!)) == Text(w => SweepCsv.Write(w, header.Vary, rows))
                    && Text(w => SweepTable.Write(w, back!.Scenario, back.Vary, mergedRows!, 0)) == Text(w => SweepTable.Write(w, header.Scenario, header.Vary, rows, 0));
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        });
    }

    [Property(MaxTest = 100)]
    public Property Every_point_falls_in_exactly_one_shard()
    {
        Gen<(int Points, int Shards)> cases =
            from points in Gen.Choose(1, 500)
            from shards in Gen.Choose(1, 8)
            select (points, shards);
        return Prop.ForAll(cases.ToArbitrary(), c =>
            Enumerable.Range(0, c.Points).All(i => Enumerable.Range(0, c.Shards).Count(k => new Shard(k, c.Shards).Contains(i)) == 1));
    }

    [Theory]
    [InlineData("0/1", 0, 1)]
    [InlineData("3/8", 3, 8)]
    [InlineData(" 7 / 8 ", 7, 8)]
    public void A_shard_is_parsed_from_K_slash_N(string text, int k, int n)
    {
        Assert.True(Shard.TryParse(text, out Shard shard, out _));
        Assert.Equal(new Shard(k, n), shard);
        Assert.Equal($"part-{k}-of-{n}.jsonl", shard.PartFileName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("1/0")]
    [InlineData("4/4")]
    [InlineData("-1/4")]
    [InlineData("a/b")]
    [InlineData("1/2/3")]
    public void A_bad_shard_is_refused_with_one_line(string text)
    {
        Assert.False(Shard.TryParse(text, out _, out string? error));
        Assert.DoesNotContain('\n', error);
    }
}
