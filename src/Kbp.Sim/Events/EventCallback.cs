namespace Kbp.Sim.Events;

/// <summary>
/// What runs when a scheduled event fires. Models keep one instance per method in a
/// field and pass it on every schedule, so scheduling allocates nothing; the
/// <paramref name="argument"/> carries the little state an event needs (a token, an index).
/// </summary>
/// <param name="argument">The value given when the event was scheduled.</param>
public delegate void EventCallback(long argument);
