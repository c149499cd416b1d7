using System.Collections.Concurrent;
using System.Data.Common;
using Grpc.Core;
using Grpc.Core.Interceptors;
using GrpcDvc.Server.Access;
using GrpcDvc.Server.Storage;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace GrpcDvc.Tests.Population;

/// <summary>
/// What each rpc sent to the database, as EF Core sent it: every command (its SQL), every
/// transaction begun and committed. A call's notes are kept apart from other work on the server
/// (health checks, seeding) by an async-local scope that a gRPC interceptor opens around the call.
/// The parameter values of the queries that read rows are kept too, for what SQL text cannot show
/// (the keys a search asks the index for).
/// </summary>
public sealed class DatabaseCalls
{
    public const string Begin = "BEGIN";
    public const string Commit = "COMMIT";

    private static readonly AsyncLocal<List<string>?> Current = new();
    private static readonly AsyncLocal<List<DatabaseRead>?> CurrentReads = new();
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _lastCall = new();
    private readonly ConcurrentDictionary<string, IReadOnlyList<DatabaseRead>> _lastReads = new();

    /// <summary>Adds the counting interceptors to the server's services.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<DatabaseCalls>();
        services.ConfigureDbContext<DvcDbContext>(db => db.AddInterceptors(new CommandNotes(), new TransactionNotes()));
        services.AddGrpcInterceptor<CallScope>();
    }

    /// <summary>What the last call of <paramref name="method"/> ("/package.Service/Method") sent, in order.</summary>
    public IReadOnlyList<string> LastCall(string method) => _lastCall[method];

    /// <summary>Each query that read rows in the last call of <paramref name="method"/>, with its parameter values, in order.</summary>
    public IReadOnlyList<DatabaseRead> LastReads(string method) => _lastReads[method];

    private static void Note(string what)
    {
        if (Current.Value is { } notes)
        {
            lock (notes)
            {
                notes.Add(what);
            }
        }
    }

    private static void NoteRead(DbCommand command)
    {
        Note(command.CommandText);
        if (CurrentReads.Value is { } reads)
        {
            lock (reads)
            {
                reads.Add(new DatabaseRead(command.CommandText, [.. command.Parameters.Cast<DbParameter>().Select(p => p.Value)]));
            }
        }
    }

    private sealed class CallScope(DatabaseCalls calls) : Interceptor
    {
        public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
            TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        {
            var notes = new List<string>();
            var reads = new List<DatabaseRead>();
            Current.Value = notes;
            CurrentReads.Value = reads;
            try
            {
                return await continuation(request, context);
            }
            finally
            {
                calls._lastCall[context.Method] = [.. notes];
                calls._lastReads[context.Method] = [.. reads];
            }
        }
    }

    private sealed class CommandNotes : DbCommandInterceptor
    {
        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            NoteRead(command);
            return base.ReaderExecuting(command, eventData, result);
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            NoteRead(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Note(command.CommandText);
            return base.NonQueryExecuting(command, eventData, result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Note(command.CommandText);
            return base.NonQueryExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Note(command.CommandText);
            return base.ScalarExecuting(command, eventData, result);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Note(command.CommandText);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }
    }

    private sealed class TransactionNotes : DbTransactionInterceptor
    {
        public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
        {
            Note(Begin);
            return base.TransactionStarted(connection, eventData, result);
        }

        public override ValueTask<DbTransaction> TransactionStartedAsync(
            DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default)
        {
            Note(Begin);
            return base.TransactionStartedAsync(connection, eventData, result, cancellationToken);
        }

        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
            => Note(Commit);

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Note(Commit);
            return Task.CompletedTask;
        }
    }
}

/// <summary>A query that read rows: its SQL and its parameter values.</summary>
public sealed record DatabaseRead(string Sql, IReadOnlyList<object?> Parameters);
