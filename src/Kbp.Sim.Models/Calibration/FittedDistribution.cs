using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace Kbp.Sim.Models.Calibration;

/// <summary>
/// A sample of one quantity from a trace: empirical quantiles, and a log-normal fitted by
/// maximum likelihood (MathNet.Numerics) with its Kolmogorov–Smirnov distance to the sample.
/// </summary>
/// <param name="Name">What was measured.</param>
/// <param name="Count">Sample size.</param>
/// <param name="Mean">Sample mean.</param>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">Largest value.</param>
/// <param name="LogMu">The fitted log-normal's μ (null when the sample has non-positive values or fewer than 2 distinct values).</param>
/// <param name="LogSigma">The fitted log-normal's σ.</param>
/// <param name="KsDistance">sup |empirical CDF − fitted CDF|: below ~1.36/√n the fit is not rejected at 5 %.</param>
public sealed record FittedDistribution(string Name, int Count, double Mean, double P50, double P90, double P99, double Max, double? LogMu, double? LogSigma, double? KsDistance)
{
    /// <summary>Fits <paramref name="samples"/>; null when there are none.</summary>
    public static FittedDistribution? Of(string name, IReadOnlyList<double> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return null;
        }

        double[] sorted = samples.Order().ToArray();
        double? mu = null, sigma = null, ks = null;
        if (sorted[0] > 0 && sorted[^1] > sorted[0])
        {
            LogNormal fit = LogNormal.Estimate(sorted);
            mu = fit.Mu;
            sigma = fit.Sigma;
            double d = 0;
            for (int i = 0; i < sorted.Length; i++)
            {
                double f = fit.CumulativeDistribution(sorted[i]);
                d = Math.Max(d, Math.Max(Math.Abs(f - ((i + 1.0) / sorted.Length)), Math.Abs(f - ((double)i / sorted.Length))));
            }

            ks = d;
        }

        return new FittedDistribution(
            name,
            sorted.Length,
            sorted.Average(),
            SortedArrayStatistics.Quantile(sorted, 0.50),
            SortedArrayStatistics.Quantile(sorted, 0.90),
            SortedArrayStatistics.Quantile(sorted, 0.99),
            sorted[^1],
            mu,
            sigma,
            ks);
    }
}
