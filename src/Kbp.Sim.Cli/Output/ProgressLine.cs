using System.Diagnostics;
using System.Globalization;

namespace Kbp.Sim.Cli.Output;

/// <summary>
/// A progress line on stderr, rewritten in place with a carriage return, shown only when
/// stderr is the console and a terminal: piped or redirected, the program stays silent.
/// Updates are limited to about ten a second; <see cref="Clear"/> wipes the line.
/// </summary>
internal sealed class ProgressLine
{
    private static readonly long MinIntervalTicks = Stopwatch.Frequency / 10;
    private readonly TextWriter? _terminal;
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private long _lastTicks = -1;
    private int _width;

    private ProgressLine(TextWriter? terminal)
    {
        _terminal = terminal;
    }

    /// <summary>Whether anything is shown.</summary>
    public bool IsEnabled => _terminal is not null;

    /// <summary>Wall time since the line was created.</summary>
    public TimeSpan Elapsed => _wall.Elapsed;

    /// <summary>A progress line on <paramref name="error"/> when it is the process's stderr and that is a terminal; otherwise a silent one.</summary>
    public static ProgressLine For(TextWriter error) =>
        new(ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected ? error : null);

    /// <summary>Shows <paramref name="text"/> unless the last update was under 0.1 s ago (or <paramref name="force"/>).</summary>
    public void Show(string text, bool force = false)
    {
        if (_terminal is null)
        {
            return;
        }

        long now = _wall.ElapsedTicks;
        if (!force && _lastTicks >= 0 && now - _lastTicks < MinIntervalTicks)
        {
            return;
        }

        _lastTicks = now;
        _terminal.Write("\r" + text.PadRight(_width));
        _terminal.Flush();
        _width = text.Length;
    }

    /// <summary>"12/40 (30%)": <paramref name="done"/> of <paramref name="total"/>.</summary>
    public static string Fraction(int done, int total) =>
        string.Create(CultureInfo.InvariantCulture, $"{done}/{total} ({100.0 * done / Math.Max(1, total):F0}%)");

    /// <summary>"1m05s elapsed, about 2m31s left", the estimate assuming the rest goes at the pace so far.</summary>
    public string Timing(int done, int total)
    {
        double elapsed = _wall.Elapsed.TotalSeconds;
        string left = done > 0 && done < total ? $", about {Seconds(elapsed * (total - done) / done)} left" : string.Empty;
        return $"{Seconds(elapsed)} elapsed{left}";
    }

    /// <summary>Wipes the line.</summary>
    public void Clear()
    {
        if (_terminal is null || _width == 0)
        {
            return;
        }

        _terminal.Write("\r" + new string(' ', _width) + "\r");
        _terminal.Flush();
        _width = 0;
    }

    private static string Seconds(double s) =>
        s < 60 ? string.Create(CultureInfo.InvariantCulture, $"{s:F0}s") : string.Create(CultureInfo.InvariantCulture, $"{(int)(s / 60)}m{(int)(s % 60):D2}s");
}
