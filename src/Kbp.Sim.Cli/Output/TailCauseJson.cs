using System.Text.Json;
using Kbp.Sim.Models.Experiments;
using Kbp.Sim.Models.Packets;

namespace Kbp.Sim.Cli.Output;

/// <summary>
/// The exact form of a run's tail causes in JSON, <c>[{"cause": "SoftirqDeferred", "share": 0.43}, ...]</c>,
/// shared by the part files (which read it back) and the validation JSON.
/// </summary>
internal static class TailCauseJson
{
    /// <summary>Writes <paramref name="causes"/> as the array property <paramref name="name"/>, shares unrounded.</summary>
    public static void Write(Utf8JsonWriter json, string name, IEnumerable<TailCause> causes)
    {
        json.WriteStartArray(name);
        foreach (TailCause c in causes)
        {
            json.WriteStartObject();
            json.WriteString("cause", c.Cause.ToString());
            json.WriteNumber("share", c.Share);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Reads an array written by <see cref="Write"/>.</summary>
    public static TailCause[] Read(JsonElement array) =>
        [.. array.EnumerateArray().Select(c => new TailCause(Enum.Parse<WaitCause>(c.GetProperty("cause").GetString()!), c.GetProperty("share").GetDouble()))];
}
