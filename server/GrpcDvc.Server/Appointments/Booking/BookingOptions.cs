namespace GrpcDvc.Server.Appointments.Booking;

/// <summary>"Dvc:Appointments:Booking": the hold, the admission gate in front of BookAppointment, and the hold-expiry job.</summary>
public sealed class BookingOptions
{
    public const string Section = "Dvc:Appointments:Booking";

    /// <summary>How long a booking holds its place before SubmitDossier must confirm it.</summary>
    public TimeSpan Hold { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>BookAppointment calls one instance works on at once (each holds a database connection for a few milliseconds).</summary>
    public int MaxInFlight { get; set; } = 32;

    /// <summary>Calls that may wait for a free slot of the gate; beyond it a call is turned away at once.</summary>
    public int MaxQueued { get; set; } = 1000;

    /// <summary>How long a call waits for the gate before it is turned away (UNAVAILABLE with RetryInfo).</summary>
    public TimeSpan QueueWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The retry delay a turned-away call is told.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an instance remembers a session found full, refusing further bookings of it without the database (0: never).</summary>
    public TimeSpan FullMemo { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the hold-expiry job runs.</summary>
    public TimeSpan ExpiryInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Expired holds released per transaction.</summary>
    public int ExpiryBatchSize { get; set; } = 200;

    public void Validate()
    {
        if (Hold <= TimeSpan.Zero || MaxInFlight < 1 || MaxQueued < 0 || QueueWait < TimeSpan.Zero || RetryAfter < TimeSpan.Zero
            || FullMemo < TimeSpan.Zero || ExpiryInterval <= TimeSpan.Zero || ExpiryBatchSize < 1)
        {
            throw new InvalidOperationException($"{Section}: Hold and ExpiryInterval must be positive, MaxInFlight and ExpiryBatchSize at least 1, the rest not negative.");
        }
    }
}
