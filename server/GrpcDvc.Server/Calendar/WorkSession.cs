namespace GrpcDvc.Server.Calendar;

/// <summary>A period of a day during which an office receives and works dossiers (buổi sáng, buổi chiều), in local clock time.</summary>
public sealed record WorkSession(TimeSpan Start, TimeSpan End)
{
    public TimeSpan Length => End - Start;
}
