using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Tests.Packets;

public class PacketTests
{
    [Fact]
    public void A_packet_has_a_time_for_every_probe_and_a_total_for_every_wait_cause()
    {
        // The packet keeps these in fixed-size inline arrays; a probe or cause added to
        // the enums past their last member must grow them too.
        var packet = new Packet(0, 64);
        foreach (Probe probe in Enum.GetValues<Probe>())
        {
            Assert.Equal(-1, packet.At(probe));
            packet.Stamp(probe, 10 + (int)probe);
            Assert.Equal(10 + (int)probe, packet.At(probe));
        }

        foreach (WaitCause cause in Enum.GetValues<WaitCause>())
        {
            packet.AddWait(cause, 100 + (int)cause);
            Assert.Equal(100 + (int)cause, packet.WaitNs(cause));
        }
    }
}
