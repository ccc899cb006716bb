namespace Kbp.Sim.Cli.Output;

/// <summary>RFC 4180 fields: quoted when they hold a comma, a quote or a line break.</summary>
internal static class CsvText
{
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
