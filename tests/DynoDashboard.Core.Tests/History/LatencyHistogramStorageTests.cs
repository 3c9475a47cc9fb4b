using DynoDashboard.Core.History;
using DynoDashboard.Core.Live;
using DynoDashboard.Core.Model;

namespace DynoDashboard.Core.Tests.History;

public sealed class LatencyHistogramStorageTests
{
    [Fact]
    public void ReadFrom_WhatWriteToWrote_GivesTheSamePercentilesAndExtremes()
    {
        var histogram = new LatencyHistogram();
        foreach (var ms in new[] { 0, 3, 31, 32, 250, 999, 1_000, 30_000, int.MaxValue })
        {
            histogram.Record(ms, 3);
        }

        using var writer = new BlockWriter(16);
        histogram.WriteTo(writer);

        using var reader = new BinaryReader(new MemoryStream(writer.ToArray()));
        var copy = LatencyHistogram.ReadFrom(reader);

        Assert.Equal((histogram.Count, histogram.Sum, histogram.Min, histogram.Max, histogram.BucketCount),
            (copy.Count, copy.Sum, copy.Min, copy.Max, copy.BucketCount));
        foreach (var p in new[] { 1.0, 50, 95, 99, 100 })
        {
            Assert.Equal(histogram.Percentile(p), copy.Percentile(p));
        }
    }
}
