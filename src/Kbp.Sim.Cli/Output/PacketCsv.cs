using System.Globalization;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Cli.Output;

/// <summary>Per-packet CSV: probe timestamps (ns, -1 when not passed) and waits by cause (ns).</summary>
internal static class PacketCsv
{
    private static readonly WaitCause[] Causes = Enum.GetValues<WaitCause>();

    public static void WriteHeader(TextWriter w)
    {
        w.Write("repetition,id,frameBytes");
        foreach (Probe probe in StageNames.Path)
        {
            w.Write(',');
            w.Write(StageNames.Of(probe));
        }

        foreach (WaitCause cause in Causes)
        {
            w.Write(",wait:");
            w.Write(cause);
        }

        w.WriteLine();
    }

    public static void WriteRow(TextWriter w, int repetition, Packet p, long receivedNs)
    {
        var c = CultureInfo.InvariantCulture;
        w.Write(repetition.ToString(c));
        w.Write(',');
        w.Write(p.Id.ToString(c));
        w.Write(',');
        w.Write(p.FrameBytes.ToString(c));
        foreach (Probe probe in StageNames.Path)
        {
            w.Write(',');
            w.Write((probe == Probe.TesterReceive ? receivedNs : p.At(probe)).ToString(c));
        }

        foreach (WaitCause cause in Causes)
        {
            w.Write(',');
            w.Write(p.WaitNs(cause).ToString(c));
        }

        w.WriteLine();
    }
}
