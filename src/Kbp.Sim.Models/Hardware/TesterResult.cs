using Kbp.Sim.Models.Packets;
using Kbp.Sim.Statistics;

namespace Kbp.Sim.Models.Hardware;

/// <summary>
/// A tester's report. The measured counts cover frames the pattern generated after the
/// warm-up; at the end of a run, once the tester has finished,
/// <c>Offered = Sent = Received + Lost + InFlight</c>.
/// </summary>
/// <param name="Offered">Measured frames the pattern generated.</param>
/// <param name="Sent">Measured frames that left the tester (fewer than offered only while the line is catching up).</param>
/// <param name="Received">Measured frames that came back.</param>
/// <param name="Lost">Measured frames a model reported dropped.</param>
/// <param name="InFlight">Measured frames sent and neither back nor dropped yet.</param>
/// <param name="WarmupSent">Warm-up frames sent (not measured).</param>
/// <param name="WarmupReceived">Warm-up frames that came back.</param>
/// <param name="WarmupLost">Warm-up frames reported dropped.</param>
/// <param name="LostByReason">Measured losses by <see cref="DropReason"/>, indexed by its value.</param>
/// <param name="Latency">Round-trip (echo) or one-way delays of the measured frames, TesterSend (first bit out) to TesterReceive (last bit in).</param>
public sealed record TesterResult(
    long Offered,
    long Sent,
    long Received,
    long Lost,
    long InFlight,
    long WarmupSent,
    long WarmupReceived,
    long WarmupLost,
    IReadOnlyList<long> LostByReason,
    LatencyRecorder Latency)
{
    /// <summary>Lost / sent; 0 when nothing was sent.</summary>
    public double LossRatio => Sent == 0 ? 0 : (double)Lost / Sent;

    /// <summary>Measured frames lost at <paramref name="reason"/>.</summary>
    public long LostAt(DropReason reason) => LostByReason[(int)reason];
}
