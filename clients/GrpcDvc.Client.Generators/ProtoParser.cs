namespace GrpcDvc.Client.Generators;

/// <summary>
/// A tolerant reader of the parts of a .proto file a client needs: the package, the
/// csharp_namespace option, message names (nested ones too, for type mapping) and service
/// blocks. Everything else (fields, enums, options, extensions) is skipped by balancing braces.
/// A statement it cannot read becomes a <see cref="ProtoProblem"/> and parsing resumes after it.
/// </summary>
internal sealed class ProtoParser
{
    private readonly IReadOnlyList<Token> _tokens;
    private readonly List<ProtoProblem> _problems = [];
    private readonly List<string> _messages = [];
    private readonly List<ProtoService> _services = [];
    private string _package = string.Empty;
    private string? _csharpNamespace;
    private int _index;

    private ProtoParser(IReadOnlyList<Token> tokens) => _tokens = tokens;

    private bool AtEnd => _index >= _tokens.Count;

    public static ProtoFile Parse(string path, string text)
    {
        var tokens = ProtoTokenizer.Tokenize(text, out var lexical);
        var parser = new ProtoParser(tokens);
        if (lexical is not null)
        {
            parser._problems.Add(lexical);
        }

        parser.ParseFile();
        return new ProtoFile(
            path,
            parser._package,
            parser._csharpNamespace,
            new EquatableArray<string>(parser._messages),
            new EquatableArray<ProtoService>(parser._services),
            new EquatableArray<ProtoProblem>(parser._problems));
    }

    private void ParseFile()
    {
        while (!AtEnd)
        {
            var start = _index;
            try
            {
                ParseTopLevel();
            }
            catch (ParseException ex)
            {
                Recover(start, ex);
            }
        }
    }

    private void ParseTopLevel()
    {
        var token = Next();
        switch (token.Text)
        {
            case ";" when token.Kind == TokenKind.Symbol:
                break;
            case "syntax" or "edition" or "import":
                SkipStatement();
                break;
            case "package":
                _package = ExpectTypeName().Text.TrimStart('.');
                Expect(";");
                break;
            case "option":
                ParseFileOption();
                break;
            case "message":
                ParseMessage(prefix: null);
                break;
            case "enum" or "extend":
                ExpectTypeName();
                SkipBlock();
                break;
            case "service":
                ParseService(token);
                break;
            default:
                throw new ParseException(token, $"Unexpected '{token}' at the top level of the file.");
        }
    }

    private void ParseFileOption()
    {
        var name = new List<string>();
        while (Peek() is { } part && !part.Is("="))
        {
            name.Add(Next().Text);
        }

        Expect("=");
        string? value = null;
        if (Peek() is { Kind: TokenKind.String })
        {
            value = string.Empty;
            while (Peek() is { Kind: TokenKind.String })
            {
                value += Next().Text;
            }
        }
        else if (Peek() is { } open && open.Is("{"))
        {
            SkipBlock();
        }
        else
        {
            Next();
        }

        Expect(";");
        if (string.Concat(name) == "csharp_namespace" && value is not null)
        {
            _csharpNamespace = value;
        }
    }

    private void ParseMessage(string? prefix)
    {
        var name = ExpectIdentifier().Text;
        var fullName = prefix is null ? name : $"{prefix}.{name}";
        _messages.Add(fullName);
        Expect("{");
        while (true)
        {
            var token = Peek() ?? throw new ParseException(null, $"Message '{fullName}' is missing its closing '}}'.");
            if (token.Is("}"))
            {
                Next();
                return;
            }

            var startsBlock = Peek(1) is { Kind: TokenKind.Word } && Peek(2) is { } brace && brace.Is("{");
            if (token.Is("message") && startsBlock)
            {
                Next();
                ParseMessage(fullName);
            }
            else if ((token.Is("enum") || token.Is("oneof") || token.Is("extend")) && startsBlock)
            {
                Next();
                Next();
                SkipBlock();
            }
            else
            {
                SkipStatement();
            }
        }
    }

    private void ParseService(Token keyword)
    {
        var name = ExpectIdentifier().Text;
        Expect("{");
        var rpcs = new List<ProtoRpc>();
        while (true)
        {
            var token = Peek() ?? throw new ParseException(null, $"Service '{name}' is missing its closing '}}'.");
            if (token.Is("}"))
            {
                Next();
                break;
            }

            var start = _index;
            try
            {
                if (token.Is("rpc"))
                {
                    rpcs.Add(ParseRpc());
                }
                else if (token.Is("option"))
                {
                    SkipStatement();
                }
                else if (token.Is(";"))
                {
                    Next();
                }
                else
                {
                    throw new ParseException(token, $"Unexpected '{token}' in service '{name}'; expected 'rpc' or 'option'.");
                }
            }
            catch (ParseException ex)
            {
                Recover(start, ex);
            }
        }

        _services.Add(new ProtoService(name, keyword.Comment, new EquatableArray<ProtoRpc>(rpcs), keyword.Line));
    }

    private ProtoRpc ParseRpc()
    {
        var keyword = Next();
        var name = ExpectIdentifier().Text;
        Expect("(");
        var (requestStreaming, requestType) = ParseRpcType();
        Expect(")");
        var returns = Next();
        if (!returns.Is("returns"))
        {
            throw new ParseException(returns, $"Expected 'returns' after the request type of rpc '{name}', found '{returns}'.");
        }

        Expect("(");
        var (responseStreaming, responseType) = ParseRpcType();
        Expect(")");
        if (Peek() is { } body && body.Is("{"))
        {
            // Method options, e.g. { option (dvc.auth.v1.policy) = "official"; }.
            SkipBlock();
            if (Peek() is { } semicolon && semicolon.Is(";"))
            {
                Next();
            }
        }
        else
        {
            Expect(";");
        }

        return new ProtoRpc(name, requestType, requestStreaming, responseType, responseStreaming, keyword.Comment, keyword.Line);
    }

    private (bool Streaming, string Type) ParseRpcType()
    {
        var first = ExpectTypeName();
        if (first.Text == "stream" && Peek() is { Kind: TokenKind.Word })
        {
            return (true, ExpectTypeName().Text);
        }

        return (false, first.Text);
    }

    /// <summary>Skips a statement: up to its ';', or through its balanced '{ }' block, whichever ends it.</summary>
    private void SkipStatement()
    {
        var consumed = false;
        while (Peek() is { } token)
        {
            if (token.Is("}"))
            {
                // The enclosing block's end: leave it to the caller (but always make progress).
                if (!consumed)
                {
                    Next();
                }

                return;
            }

            Next();
            consumed = true;
            if (token.Is(";"))
            {
                return;
            }

            if (token.Is("{"))
            {
                _index--;
                SkipBlock();
                if (Peek() is { } semicolon && semicolon.Is(";"))
                {
                    Next();
                }

                return;
            }
        }
    }

    private void SkipBlock()
    {
        var open = Expect("{");
        var depth = 1;
        while (depth > 0)
        {
            var token = Peek() ?? throw new ParseException(open, "This '{' is never closed.");
            Next();
            if (token.Is("{"))
            {
                depth++;
            }
            else if (token.Is("}"))
            {
                depth--;
            }
        }
    }

    /// <summary>Reports the problem, then skips the statement that began at <paramref name="start"/>.</summary>
    private void Recover(int start, ParseException ex)
    {
        var at = ex.Token ?? (_tokens.Count > 0 ? _tokens[_tokens.Count - 1] : null);
        _problems.Add(new ProtoProblem(at?.Line ?? 1, at?.Column ?? 1, ex.Message));
        _index = start;
        try
        {
            SkipStatement();
        }
        catch (ParseException)
        {
            // An unclosed block: nothing after it can be read reliably.
            _index = _tokens.Count;
        }
    }

    private Token? Peek(int offset = 0) => _index + offset < _tokens.Count ? _tokens[_index + offset] : null;

    private Token Next() => _index < _tokens.Count
        ? _tokens[_index++]
        : throw new ParseException(null, "Unexpected end of file.");

    private Token Expect(string symbol)
    {
        var token = Next();
        return token.Is(symbol) ? token : throw new ParseException(token, $"Expected '{symbol}', found '{token}'.");
    }

    private Token ExpectIdentifier()
    {
        var token = Next();
        return token.Kind == TokenKind.Word && CSharpNames.IsIdentifier(token.Text)
            ? token
            : throw new ParseException(token, $"Expected a name, found '{token}'.");
    }

    private Token ExpectTypeName()
    {
        var token = Next();
        return token.Kind == TokenKind.Word && CSharpNames.IsTypeName(token.Text)
            ? token
            : throw new ParseException(token, $"Expected a type name, found '{token}'.");
    }

#pragma warning disable CA1032, CA1064 // Private control flow of the parser: never escapes it, needs no standard constructors.
    private sealed class ParseException(Token? token, string message) : Exception(message)
#pragma warning restore CA1032, CA1064
    {
        public Token? Token { get; } = token;
    }
}
