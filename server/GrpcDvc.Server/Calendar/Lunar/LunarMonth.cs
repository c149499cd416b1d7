namespace GrpcDvc.Server.Calendar.Lunar;

/// <summary>One lunar month: its number in its lunar year, whether it is the leap one, and the civil days it spans.</summary>
public readonly record struct LunarMonth(int Year, int Number, bool IsLeap, DateOnly FirstDay, int Length);
