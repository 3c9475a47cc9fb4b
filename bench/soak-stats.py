"""Summary of a load-generator RSS log (--rss-csv): soak-stats.py soak-rss.csv
Idle and 10-minute RSS, min/max over the last 10 minutes, mean/min/max per 5 minutes, least-squares trend."""
import csv, sys

rows = [(float(r['elapsed_s']), float(r['rss_mb']), int(r['lines_accepted'])) for r in csv.DictReader(open(sys.argv[1]))]
end = rows[-1][0]
last = [r for r in rows if r[0] >= end - 600]
print(f"samples {len(rows)}, end {end:.0f}s, lines {rows[-1][2]:,}")
print(f"idle/start {rows[0][1]:.1f} MB; at 10 min {min(rows, key=lambda r: abs(r[0] - 600))[1]:.1f}; end {rows[-1][1]:.1f}")
print(f"last 10 min: min {min(r[1] for r in last):.1f} max {max(r[1] for r in last):.1f}")
for start in range(0, int(end), 300):
    window = [r[1] for r in rows if start <= r[0] < start + 300]
    if window:
        print(f"  {start // 60:2d}-{start // 60 + 5:2d} min: mean {sum(window) / len(window):.1f} min {min(window):.1f} max {max(window):.1f}")
xs = [r[0] for r in last]; ys = [r[1] for r in last]
mx = sum(xs) / len(xs); my = sum(ys) / len(ys)
slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
print(f"last-10-min trend: {slope * 60:+.2f} MB/min")
