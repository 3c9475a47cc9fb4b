#!/usr/bin/env bash
# Memory per open dashboard page (Blazor circuit), issue 7. Opens one warm-up page, then N more in headless
# Chromium (DevTools /json/new), and reports the server's managed heap (dotnet-gcdump forces a full GC first, so
# this is live data, not garbage) and VmRSS (median of 5 readings, 2 s apart) before and after the N pages.
# The server must run with Dashboard:Auth:Mode=None, on loopback, with some data in APP (docs/perf.md).
# usage: bench/circuit-memory.sh SERVER_PID PORT PAGES URL
# env: DEVTOOLS_PORT (default 9333; another engineer's run may hold it), KEEP_DIR (keep both .gcdump files there
# for `dotnet-gcdump report`, to see what the pages hold), WINDOW (Chromium's window size, default 800,600: a taller
# one shows more rows of a virtualized table, and each page then holds more), CHROMIUM_FLAGS (extra flags).
set -euo pipefail
pid=$1; port=$2; pages=$3; url=$4
devtools=${DEVTOOLS_PORT:-9333}
case "$url" in http://127.0.0.1:*|http://localhost:*) ;; *) echo "URL must be on loopback" >&2; exit 2 ;; esac
work=$(mktemp -d)
gcdump=${GCDUMP:-$HOME/.dotnet/tools/dotnet-gcdump}
rss() { awk '/VmRSS/ {print $2}' "/proc/$pid/status"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
readings() { for _ in 1 2 3 4 5; do rss; sleep 2; done | median; }
heap() { "$gcdump" collect -p "$pid" -o "$work/$1.gcdump" >/dev/null 2>&1
         "$gcdump" report "$work/$1.gcdump" 2>/dev/null | awk '/GC Heap bytes/ {gsub(",", "", $1); print $1; exit}'; }
open_page() { curl -s -X PUT "http://127.0.0.1:$devtools/json/new?$url" >/dev/null; }

chromium --headless=new --no-sandbox --disable-gpu --window-size="${WINDOW:-800,600}" ${CHROMIUM_FLAGS:-} --remote-debugging-port="$devtools" --user-data-dir="$work/profile" \
  about:blank >"$work/chromium.log" 2>&1 &
browser=$!
# Wait for Chromium to exit before removing its profile (else rm races its last writes and the script fails).
trap 'kill $browser 2>/dev/null; wait $browser 2>/dev/null; rm -rf "$work" 2>/dev/null || true' EXIT
sleep 3
# The first circuit pays for JIT and Blazor's one-off start-up, not for a page: measure from after it.
open_page
sleep 15
heap_before=$(heap before); rss_before=$(readings)
for _ in $(seq 1 "$pages"); do open_page; done
sleep 15 # pages render and connect their circuits; the measurement is memory, not time
heap_after=$(heap after); rss_after=$(readings)
sockets=$(ss -tnp state established "( dport = :$port )" | grep -c chromium || true)
echo "pages $pages (chromium sockets to :$port: $sockets)"
echo "managed heap after full GC: $heap_before -> $heap_after B = $(( (heap_after - heap_before) / pages / 1024 )) KiB per page"
if [ -n "${KEEP_DIR:-}" ]; then mkdir -p "$KEEP_DIR"; cp "$work"/before.gcdump "$work"/after.gcdump "$KEEP_DIR"/; fi
echo "VmRSS median: $rss_before -> $rss_after KiB = $(( (rss_after - rss_before) / pages )) KiB per page"
