#!/bin/bash
# The issue-7 drain measurement (docs/perf.md, "Drain over HTTP"): a fresh server with the bare endpoint on, 20 s
# against /drain-bare, then 20 s against /drain, same bodies and concurrency; prints both rates and the server's CPU.
# usage: bench/drain-pair.sh OUT_DIR [SERVER_DIR] [extra server args...]
#   SERVER_DIR defaults to this tree's Release build; SENV="NAME=value" sets the server's environment only.
# Build first: dotnet build -c Release src/DynoDashboard.Web && dotnet build -c Release bench/DynoDashboard.LoadGen
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$1; shift
WEB=${1:-$ROOT/src/DynoDashboard.Web/bin/Release/net10.0}; [ $# -gt 0 ] && shift
LG=$ROOT/bench/DynoDashboard.LoadGen/bin/Release/net10.0/DynoDashboard.LoadGen.dll
K=loadgen-key-0123456789; A=fanout-api-key-0123456789; PORT=${PORT:-5960}
rm -rf "$OUT"; mkdir -p "$OUT"
# Started from its output folder: elsewhere appsettings.json is not found and every request is logged.
(cd "$WEB" && exec env ${SENV:-DYNO_PAIR=1} dotnet DynoDashboard.Web.dll --urls http://127.0.0.1:$PORT --Ingest:Key=$K \
  --Ingest:BareEndpointForBenchmarks=true --Storage:Path="$OUT/dynodash.db" --Dashboard:ApiKeys:0=$A \
  --Demo:Enabled=false "$@" > "$OUT/server.log" 2>&1) &
S=$!
trap 'kill $S 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -s -o /dev/null http://127.0.0.1:$PORT/healthz && break; sleep 0.5; done
common="--seconds 20 --concurrency 8 --body-kb 100 --dynos 100 --key $K --api-key $A"
echo "### $(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg) server args: $*"
dotnet "$LG" --url http://127.0.0.1:$PORT $common --bare --app bare | grep -E "posts|accepted"
python3 "$ROOT/bench/thread-cpu.py" $S 12 4 > "$OUT/threads.txt" &
dotnet "$LG" --url http://127.0.0.1:$PORT $common --app d | grep -E "posts|accepted|response|processed|shed"
wait $!; head -1 "$OUT/threads.txt"
