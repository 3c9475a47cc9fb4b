#!/usr/bin/env bash
# As circuit-memory.sh, but the pages are opened by Playwright (bench/DynoDashboard.CircuitProbe),
# where every page is visible, and each is scrolled to the fleet tables (#dynos): a virtualized table renders the rows
# in view only in a visible page. Managed heap after a full GC (dotnet-gcdump), before and after the pages.
# usage: bench/circuit-memory-visible.sh SERVER_PID PAGES URL     (run from the repository root; builds the probe)
set -euo pipefail
pid=$1; pages=$2; url=$3
case "$url" in http://127.0.0.1:*|http://localhost:*) ;; *) echo "URL must be on loopback" >&2; exit 2 ;; esac
work=$(mktemp -d)
gcdump=${GCDUMP:-$HOME/.dotnet/tools/dotnet-gcdump}
heap() { "$gcdump" collect -p "$pid" -o "$work/$1.gcdump" >/dev/null 2>&1
         "$gcdump" report "$work/$1.gcdump" 2>/dev/null | awk '/GC Heap bytes/ {gsub(",", "", $1); print $1; exit}'; }
wait_for() { for _ in $(seq 1 1200); do [ -f "$work/$1" ] && return 0; sleep 0.5; done; echo "timed out waiting for $1" >&2; exit 1; }
dotnet run --project bench/DynoDashboard.CircuitProbe -- "$url" "$work" "$pages" >"$work/probe.log" 2>&1 &
probe=$!
trap 'kill $probe 2>/dev/null; wait $probe 2>/dev/null; rm -rf "$work" 2>/dev/null || true' EXIT
wait_for before.ready; heap_before=$(heap before); touch "$work/before.done"
wait_for after.ready; heap_after=$(heap after)
if [ -n "${KEEP_DIR:-}" ]; then mkdir -p "$KEEP_DIR"; cp "$work"/before.gcdump "$work"/after.gcdump "$KEEP_DIR"/; fi
touch "$work/after.done"; wait $probe || true
echo "pages $pages (Playwright, visible, scrolled to #dynos)"
echo "managed heap after full GC: $heap_before -> $heap_after B = $(( (heap_after - heap_before) / pages / 1024 )) KiB per page"
