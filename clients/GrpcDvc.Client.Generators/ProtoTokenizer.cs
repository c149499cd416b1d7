using System.Text;

namespace GrpcDvc.Client.Generators;

internal enum TokenKind
{
    /// <summary>An identifier, keyword, dotted name (`dvc.common.v1.PageRequest`) or number.</summary>
    Word,

    /// <summary>A quoted string; <see cref="Token.Text"/> holds its value without quotes.</summary>
    String,

    /// <summary>One punctuation character.</summary>
    Symbol,
}

/// <summary>A token and the comment written directly above it (protoc's "leading comment").</summary>
internal sealed record Token(TokenKind Kind, string Text, int Line, int Column, string? Comment)
{
    public bool Is(string text) => Kind != TokenKind.String && Text == text;

    public override string ToString() => Kind == TokenKind.String ? $"\"{Text}\"" : Text;
}

/// <summary>Splits proto source into tokens, keeping leading comments for the generated docs.</summary>
internal sealed class ProtoTokenizer
{
    private readonly string _text;
    private readonly List<Token> _tokens = [];
    private readonly List<string> _comment = [];
    private int _pos;
    private int _line = 1;
    private int _lineStart;
    private int _lastTokenLine;

    private ProtoTokenizer(string text) => _text = text;

    public ProtoProblem? Problem { get; private set; }

    /// <summary>Tokens up to the end, or up to the first lexical error (reported in <paramref name="problem"/>).</summary>
    public static IReadOnlyList<Token> Tokenize(string text, out ProtoProblem? problem)
    {
        var tokenizer = new ProtoTokenizer(text);
        tokenizer.Run();
        problem = tokenizer.Problem;
        return tokenizer._tokens;
    }

    private int Column => _pos - _lineStart + 1;

    private void Run()
    {
        while (_pos < _text.Length && Problem is null)
        {
            var c = _text[_pos];
            if (c == '\n')
            {
                NewLine();
            }
            else if (char.IsWhiteSpace(c))
            {
                _pos++;
            }
            else if (c == '/' && Peek(1) == '/')
            {
                LineComment();
            }
            else if (c == '/' && Peek(1) == '*')
            {
                BlockComment();
            }
            else if (c is '"' or '\'')
            {
                QuotedString(c);
            }
            else if (IsWordChar(c))
            {
                var start = _pos;
                while (_pos < _text.Length && IsWordChar(_text[_pos]))
                {
                    _pos++;
                }

                Add(TokenKind.Word, _text.Substring(start, _pos - start), start - _lineStart + 1);
            }
            else
            {
                _pos++;
                Add(TokenKind.Symbol, c.ToString(), Column - 1);
            }
        }
    }

    private static bool IsWordChar(char c) => c is '_' or '.' || char.IsLetterOrDigit(c);

    private char Peek(int offset) => _pos + offset < _text.Length ? _text[_pos + offset] : '\0';

    private void NewLine()
    {
        _pos++;
        // A blank line after a comment detaches it from what follows, as protoc does.
        if (_comment.Count > 0 && IsBlankLineAhead())
        {
            _comment.Clear();
        }

        _line++;
        _lineStart = _pos;
    }

    private bool IsBlankLineAhead()
    {
        for (var i = _pos; i < _text.Length && _text[i] != '\n'; i++)
        {
            if (!char.IsWhiteSpace(_text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private void LineComment()
    {
        var start = _pos + 2;
        while (_pos < _text.Length && _text[_pos] != '\n')
        {
            _pos++;
        }

        // A comment on the same line as the previous token trails it; it does not lead the next one.
        if (_tokens.Count == 0 || _lastTokenLine != _line)
        {
            _comment.Add(_text.Substring(start, _pos - start).Trim());
        }
    }

    private void BlockComment()
    {
        var end = _text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
        if (end < 0)
        {
            Problem = new ProtoProblem(_line, Column, "Unterminated /* comment.");
            return;
        }

        var body = _text.Substring(_pos + 2, end - _pos - 2);
        foreach (var line in body.Split('\n'))
        {
            _comment.Add(line.Trim().TrimStart('*').Trim());
            _line++;
        }

        _line--;
        var lastNewLine = body.LastIndexOf('\n');
        if (lastNewLine >= 0)
        {
            _lineStart = _pos + 2 + lastNewLine + 1;
        }

        _pos = end + 2;
    }

    private void QuotedString(char quote)
    {
        var column = Column;
        var value = new StringBuilder();
        _pos++;
        while (_pos < _text.Length && _text[_pos] != quote)
        {
            var c = _text[_pos];
            if (c == '\n')
            {
                break;
            }

            if (c == '\\' && _pos + 1 < _text.Length)
            {
                _pos++;
                c = _text[_pos] switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    var other => other,
                };
            }

            value.Append(c);
            _pos++;
        }

        if (_pos >= _text.Length || _text[_pos] != quote)
        {
            Problem = new ProtoProblem(_line, column, "Unterminated string literal.");
            return;
        }

        _pos++;
        Add(TokenKind.String, value.ToString(), column);
    }

    private void Add(TokenKind kind, string text, int column)
    {
        var comment = _comment.Count == 0 ? null : string.Join("\n", _comment).Trim();
        _comment.Clear();
        _tokens.Add(new Token(kind, text, _line, column, string.IsNullOrEmpty(comment) ? null : comment));
        _lastTokenLine = _line;
    }
}
