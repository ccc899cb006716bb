using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Models.Experiments;

/// <summary>The stages of an echoed frame: each adjacent pair of probes on its path, named "a-b" as in the paper's Table 2.</summary>
public static class StageNames
{
    /// <summary>Probes in path order.</summary>
    public static readonly IReadOnlyList<Probe> Path =
    [
        Probe.TesterSend, Probe.Rxh0, Probe.Rxh1, Probe.Rxg0, Probe.Rxg1, Probe.Txg0,
        Probe.Txg1, Probe.Txg2, Probe.Txh0, Probe.Txh1, Probe.Txh2, Probe.TesterReceive,
    ];

    /// <summary>The probe's short name: "rxh0", or "tester-tx"/"tester-rx" for the tester's ports.</summary>
    public static string Of(Probe probe) => probe switch
    {
        Probe.TesterSend => "tester-tx",
        Probe.TesterReceive => "tester-rx",
        _ => probe.ToString().ToLowerInvariant(),
    };

    /// <summary>The name of the stage from <paramref name="from"/> to <paramref name="to"/>, e.g. "rxg0-rxg1".</summary>
    public static string Stage(Probe from, Probe to) => $"{Of(from)}-{Of(to)}";
}
