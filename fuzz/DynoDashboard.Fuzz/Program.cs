using DynoDashboard.Core.Live;
using DynoDashboard.Core.Parsing;
using SharpFuzz;

namespace DynoDashboard.Fuzz;

/// <summary>
/// One fuzz input = one drain body. It goes through the frame reader on its own, through the parser as a Logplex
/// body and as <c>heroku logs</c> text into a real <see cref="LiveStore"/>, and through the logfmt reader. Any
/// exception, or a broken invariant (thrown as <see cref="InvariantException"/>), is a crash for AFL++.
/// </summary>
public static class Program
{
    private static readonly HerokuLogParser s_parser = new();
    private static readonly LiveStore s_store = new(new LiveStoreOptions());

    public static void Main(string[] args)
    {
        if (args.Length == 1)
        {
            // Replay one saved input (a crash from findings/, or a corpus file) without AFL.
            Run(File.ReadAllBytes(args[0]));
            return;
        }

        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            Run(copy.ToArray());
        });
    }

    public static void Run(ReadOnlySpan<byte> body)
    {
        var reader = new LogplexFrameReader(body);
        var frames = 0;
        var covered = 0;
        while (reader.TryRead(out var frame))
        {
            frames++;
            covered += frame.Text.Length;
            Check(frames <= body.Length, "the frame reader returned more frames than there are bytes");
        }

        Check(covered <= body.Length, "frames cover more bytes than the body has");

        var sink = s_store.GetWriter("fuzz");
        var result = s_parser.ParseLogplexBody(body, ref sink);
        Check(result.Frames == frames, "the parser and the frame reader disagree on the frame count");
        s_parser.ParseCliText(body, ref sink);

        var logfmt = new LogfmtReader(body);
        var pairs = 0;
        while (logfmt.MoveNext())
        {
            Check(++pairs <= body.Length, "the logfmt reader does not advance");
            if (logfmt.IsQuoted)
            {
                _ = LogfmtReader.Unescape(logfmt.Value);
            }
        }
    }

    private static void Check(bool condition, string invariant)
    {
        if (!condition)
        {
            throw new InvariantException(invariant);
        }
    }
}

/// <summary>A broken invariant: reported to AFL++ as a crash.</summary>
public sealed class InvariantException(string message) : Exception(message);
