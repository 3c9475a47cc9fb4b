#!/bin/bash
# The issue-7 memory soak (docs/perf.md, "Memory under sustained load"): 50,000 lines/s over 100 dynos against a
# fresh server, with VmRSS every 10 s (soak-rss.csv), dotnet-counters System.Runtime every 10 s (counters.csv),
# RssAnon/RssFile/RssShmem and threads every 30 s (proc.csv), /api/status and a gcdump at the end.
# usage: bench/soak.sh OUT_DIR [TIME_SCALE=1] [SECONDS=1800] [SERVER_DIR]; SENV="NAME=value" for the server only.
# Needs dotnet-counters and dotnet-gcdump (dotnet tool install -g ...); then: python3 bench/soak-stats.py OUT_DIR/soak-rss.csv
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$1; TS=${2:-1}; SECS=${3:-1800}; WEB=${4:-$ROOT/src/DynoDashboard.Web/bin/Release/net10.0}
LG=$ROOT/bench/DynoDashboard.LoadGen/bin/Release/net10.0/DynoDashboard.LoadGen.dll
K=loadgen-key-0123456789; A=fanout-api-key-0123456789; PORT=${PORT:-5950}; TOOLS=${TOOLS:-$HOME/.dotnet/tools}
rm -rf "$OUT"; mkdir -p "$OUT"
(cd "$WEB" && exec env ${SENV:-DYNO_SOAK=1} dotnet DynoDashboard.Web.dll --urls http://127.0.0.1:$PORT --Ingest:Key=$K \
  --Storage:Path="$OUT/dynodash.db" --Dashboard:ApiKeys:0=$A --Demo:Enabled=false > "$OUT/server.log" 2>&1) &
S=$!
trap 'kill $S 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -s -o /dev/null http://127.0.0.1:$PORT/healthz && break; sleep 0.5; done
echo "server $S from $WEB, time scale $TS, started $(date -u +%T)" | tee "$OUT/info"
(echo "elapsed_s,rss_anon_kb,rss_file_kb,rss_shmem_kb,threads,load1"; t0=$(date +%s)
 while kill -0 $S 2>/dev/null; do
   echo "$(( $(date +%s) - t0 )),$(awk '/RssAnon/{a=$2}/RssFile/{f=$2}/RssShmem/{m=$2}/Threads/{t=$2}END{print a","f","m","t}' /proc/$S/status),$(cut -d' ' -f1 /proc/loadavg)"
   sleep 30
 done) > "$OUT/proc.csv" 2>/dev/null &
# --duration, so the tool ends by itself and writes its last rows (killed, it may write none).
D=$((SECS + 5))
"$TOOLS/dotnet-counters" collect -p $S --counters System.Runtime --refresh-interval 10 --format csv -o "$OUT/counters.csv" \
  --duration "$(printf '%02d:%02d:%02d:%02d' $((D / 86400)) $((D % 86400 / 3600)) $((D % 3600 / 60)) $((D % 60)))" > /dev/null 2>&1 &
C=$!
dotnet "$LG" --url http://127.0.0.1:$PORT --seconds "$SECS" --concurrency 4 --body-kb 100 --dynos 100 --key $K \
  --api-key $A --lines-per-second 50000 --time-scale "$TS" --rss-pid $S --rss-csv "$OUT/soak-rss.csv" --app soak1 \
  > "$OUT/loadgen.log" 2>&1
curl -s -H "Authorization: Bearer $A" http://127.0.0.1:$PORT/api/status > "$OUT/status.json"
"$TOOLS/dotnet-gcdump" collect -p $S -o "$OUT/end.gcdump" > /dev/null 2>&1 || true
wait $C || true
grep -E "posts|response|processed|shed" "$OUT/loadgen.log"
python3 "$ROOT/bench/soak-stats.py" "$OUT/soak-rss.csv"
