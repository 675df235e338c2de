#!/usr/bin/env bash
# pierdat benchmark, IPFS: fetching by CID with every block verified, and computing CIDs, against the plain
# tools, side by side in one run. See docs/benchmarks.md, section "IPFS".
#
#   bench/ipfs.sh                      # 256 MiB artifact, 3 repetitions
#   BENCH_SIZE_MB=16 bench/ipfs.sh     # quick smoke run
#
# Figures: (1) `pierdat get ipfs://<CID>` through a trustless gateway (the agent's own, run from the shaded
# agent jar on 127.0.0.1 with a pier.dat carrying the CID; every block verified against its CID, the file
# written and its sha256 checked) vs `curl` of the same gateway URL (`?format=car`, bytes to a file, nothing
# verified); (2) the CID of the file: pierdat's CidCommand (JVM start included) vs Debian's `ipfs_cid`.
#
# Knobs (environment):
#   BENCH_SIZE_MB          size of the artifact in MiB                                  (256)
#   BENCH_REPS             repetitions of each figure (the median is kept)             (3)
#   BENCH_WORK_DIR         data, logs, the agent's files                               (bench/target/work)
#   BENCH_AGENT_JAVA_OPTS  JVM options of the gateway (the agent)                      (-XX:+UseSerialGC)
#   BENCH_CLIENT_JAVA_OPTS JVM options of `pierdat get` and CidCommand                 (empty: JVM defaults)
#   BENCH_SKIP_BUILD       1: do not rebuild the agent jar, use pierdat-runtime/target's (0)
#   BENCH_NO_INSTALL       1: never apt-get install, only print the command             (0)
# Results: stdout and bench/target/ipfs-results.md; logs under $BENCH_WORK_DIR/logs/ipfs-*.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

SIZE_MB=${BENCH_SIZE_MB:-256}
REPS=${BENCH_REPS:-3}
AGENT_JAVA_OPTS=${BENCH_AGENT_JAVA_OPTS--XX:+UseSerialGC}
CLIENT_JAVA_OPTS=${BENCH_CLIENT_JAVA_OPTS:-}
RESULTS=$BENCH_DIR/target/ipfs-results.md
[[ $SIZE_MB =~ ^[1-9][0-9]*$ ]] || die "BENCH_SIZE_MB='$SIZE_MB': expected a positive whole number of MiB, e.g. BENCH_SIZE_MB=16"
[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "BENCH_REPS='$REPS': expected a positive whole number, e.g. 3"

mkdir -p "${BENCH_WORK_DIR:-$BENCH_DIR/target/work}" "$BENCH_DIR/target"
WORK=$(cd "${BENCH_WORK_DIR:-$BENCH_DIR/target/work}" && pwd)
LOGS=$WORK/logs
IPFS_WORK=$WORK/ipfs
mkdir -p "$LOGS" "$IPFS_WORK"

NEEDS_NGINX=0 ensure_tools ipfs_cid:ipfs-cid
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
clean_env

AGENT_PID=""
stop_agent() {
  if [[ -n $AGENT_PID ]] && kill -0 "$AGENT_PID" 2>/dev/null; then
    kill -TERM "$AGENT_PID" 2>/dev/null || true
    wait "$AGENT_PID" 2>/dev/null || true
  fi
  AGENT_PID=""
}
trap stop_agent EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- the agent jar

JAR=$IPFS_WORK/pierdat-agent.jar
stage_agent_jar "$JAR" "$LOGS/ipfs-build.log"

# ---------------------------------------------------------------- the gateway

log "work dir $WORK; file ${SIZE_MB} MiB, $REPS repetitions"
SHA=$(make_blob "$WORK/www/$SIZE_MB" "$SIZE_MB")
BLOB=$WORK/www/$SIZE_MB/blob.bin

# pier.dat as a Dockerfile's `pierdat get` writes it: the artifact with its seeds, the kubo-default CID among them.
SEED=$IPFS_WORK/seed
rm -rf "$SEED"; mkdir -p "$SEED"
"${CLEAN_ENV[@]}" PIERDAT_CONFIG="$SEED/pier.dat" "$JAVA" -jar "$JAR" get --sha256 "$SHA" --no-cache \
  "file:$BLOB" "$SEED/blob.bin" >"$LOGS/ipfs-seed-get.log" 2>&1 \
  || die "pierdat get of the seed file failed: $(tail -n 1 "$LOGS/ipfs-seed-get.log") (log $LOGS/ipfs-seed-get.log)"
CID=$(tr -d ' \n' <"$SEED/pier.dat" | sed -n 's/.*"backend":"ipfs","params":{"cid":"\([^"]*\)".*/\1/p')
[[ -n $CID ]] || die "pier.dat has no ipfs seed with a cid: $SEED/pier.dat"

PORT=$(free_port)
"${CLEAN_ENV[@]}" PIERDAT_CONFIG="$SEED/pier.dat" PIERDAT_HTTP_PORT="$PORT" PIERDAT_BIND=127.0.0.1 \
  PIERDAT_BACKENDS=http PIERDAT_LOG=info "$JAVA" $AGENT_JAVA_OPTS -jar "$JAR" run >"$LOGS/ipfs-agent.log" 2>&1 &
AGENT_PID=$!
GW=http://127.0.0.1:$PORT
for i in $(seq 1 300); do
  curl -sf -o /dev/null "$GW/healthz" && break
  kill -0 "$AGENT_PID" 2>/dev/null || die "the agent exited: $(tail -n 3 "$LOGS/ipfs-agent.log")"
  ((i < 300)) || die "the agent did not answer /healthz within 30 s (log $LOGS/ipfs-agent.log)"
  sleep 0.1
done
URL="$GW/ipfs/$CID?format=car"
log "agent (pid $AGENT_PID) serves ipfs://$CID on $GW"
# Warm the page cache and the gateway's JIT the same way for both sides.
curl -sf -o /dev/null "$URL"; curl -sf -o /dev/null "$URL"

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A VALS=() FAILS=()
record() { VALS[$1]="${VALS[$1]:-} $2"; }
fail() { FAILS[$1]="$2"; }
note_run() { log "$(printf '%-34s %8ss  %s' "$1" "$T_SEC" "${2:-}")"; }

# seconds of pierdat's own fetch, from its "... from ipfs://<cid> in 1.2 s (...)" or "in 850 ms" line
fetch_seconds() {
  sed -n 's/.* from ipfs:[^ ]* in \([0-9.]*\) \(m\?s\) .*/\1 \2/p' "$1" | head -n 1 \
    | awk '{ if ($2 == "ms") printf "%.2f\n", $1 / 1000; else printf "%.2f\n", $1 }'
}

# ---------------------------------------------------------------- runs

for rep in $(seq 1 "$REPS"); do
  log "repetition $rep/$REPS"
  out=$IPFS_WORK/curl; rm -rf "$out"; mkdir -p "$out"
  if timed "$LOGS/ipfs-curl-$rep.log" curl -sS -f -H 'Accept: application/vnd.ipld.car' -o "$out/blob.car" "$URL" \
      && (($(stat -c %s "$out/blob.car") > SIZE_MB * 1048576)); then
    record fetch.ref "$T_SEC"; note_run "curl ?format=car"
  else
    fail fetch.ref "curl failed or the CAR is shorter than the file (log logs/ipfs-curl-$rep.log)"
  fi
  rm -rf "$out"

  run=$IPFS_WORK/get; rm -rf "$run"; mkdir -p "$run"
  if timed "$LOGS/ipfs-get-$rep.log" "${CLEAN_ENV[@]}" PIERDAT_CONFIG="$run/pier.dat" "$JAVA" $CLIENT_JAVA_OPTS \
        -Dpierdat.ipfs.gateways="$GW" -jar "$JAR" get --sha256 "$SHA" --no-cache "ipfs://$CID" "$run/blob.bin" \
      && [[ $(sha256sum "$run/blob.bin" | cut -d' ' -f1) == "$SHA" ]]; then
    record fetch.pd "$T_SEC"; note_run "pierdat get ipfs://"
    s=$(fetch_seconds "$LOGS/ipfs-get-$rep.log"); [[ -n $s ]] && record fetchonly.pd "$s"
  else
    fail fetch.pd "$(tail -n 1 "$LOGS/ipfs-get-$rep.log" | cut -c1-160) (log logs/ipfs-get-$rep.log)"
  fi
  rm -rf "$run"

  if timed "$LOGS/ipfs-cid-ref-$rep.log" ipfs_cid "$BLOB"; then
    # it prints {"CIDv0":"Qm…","CIDv1":"bafy…"} among progress lines
    ref_cid=$(sed -n 's/.*"CIDv0":"\([^"]*\)".*/\1/p' "$LOGS/ipfs-cid-ref-$rep.log" | head -n 1)
    record cid.ref "$T_SEC"; note_run "ipfs_cid" "$ref_cid"
  else
    fail cid.ref "ipfs_cid failed (log logs/ipfs-cid-ref-$rep.log)"; ref_cid=""
  fi
  if timed "$LOGS/ipfs-cid-pd-$rep.log" "$JAVA" $CLIENT_JAVA_OPTS -cp "$JAR" io.github.pierdat.backend.ipfs.CidCommand "$BLOB"; then
    pd_cid=$(awk -F'\t' 'NF { print $1; exit }' "$LOGS/ipfs-cid-pd-$rep.log")
    if [[ $pd_cid == "$CID" && ( -z $ref_cid || $pd_cid == "$ref_cid" ) ]]; then
      record cid.pd "$T_SEC"; note_run "pierdat CidCommand" "$pd_cid"
    else
      fail cid.pd "CID $pd_cid differs from pier.dat's $CID or ipfs_cid's $ref_cid"
    fi
  else
    fail cid.pd "CidCommand failed (log logs/ipfs-cid-pd-$rep.log)"
  fi
done
stop_agent

# ---------------------------------------------------------------- report

med() {
  # shellcheck disable=SC2086
  median ${VALS[$1]:-}
}
cell() {
  if [[ -n ${FAILS[$1]:-} ]]; then echo "FAILED: ${FAILS[$1]}"
  elif [[ -n ${VALS[$1]:-} ]]; then med "$1"
  else echo "—"; fi
}
mibps() { [[ -n ${1:-} ]] && awk -v s="$1" -v m="$SIZE_MB" 'BEGIN { if (s > 0) printf "%.0f\n", m / s }' || echo "—"; }
row() {
  local r=""; [[ -z ${FAILS[$3.pd]:-} && -z ${FAILS[$3.ref]:-} ]] && r=$(ratio "$(med "$3.pd")" "$(med "$3.ref")")
  local v=info; [[ $4 != info ]] && v=$(verdict "$r" "$4")
  [[ -n ${FAILS[$3.pd]:-} ]] && v=FAIL
  local t=info; [[ $4 != info ]] && t="≤ $4×"
  echo "| $1 | $2 | $(cell "$3.pd") | $(cell "$3.ref") | ${r:-—} | $t | $v |"
}

JDK=$("$JAVA" -version 2>&1 | head -n 1)
CPU=$(sed -n 's/^model name\s*:\s*//p' /proc/cpuinfo | head -n 1)
RAM_GIB=$(awk '/MemTotal/ { printf "%.1f", $2/1048576 }' /proc/meminfo)
COMMIT=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
SZ="$SIZE_MB MiB"
{
  echo "### IPFS results $(date -u +%Y-%m-%dT%H:%MZ) (commit $COMMIT)"
  echo
  echo "Machine: $(nproc) CPUs ($CPU), $RAM_GIB GiB RAM, $(uname -sr); $JDK; $(curl --version | head -n 1 | cut -d' ' -f1-2)."
  echo "Load average (1, 5, 15 min) at start: $LOAD_START; at end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "File: $SZ of random bytes, CID $CID (kubo defaults). Gateway: the agent jar (\`${AGENT_JAVA_OPTS:-<JVM defaults>}\`) on 127.0.0.1."
  echo "Times: median of $REPS runs, wall seconds, JVM start included; client JVM options \`${CLIENT_JAVA_OPTS:-<JVM defaults>}\`."
  echo
  echo "| # | figure | pierdat | reference | ratio | target | result |"
  echo "|---|---|---|---|---|---|---|"
  row 1 "fetch $SZ by CID through a trustless gateway (s): \`pierdat get ipfs://<cid>\` (blocks verified, file written, sha256) vs \`curl ?format=car\`" fetch 1.20
  echo "| 1a | pierdat's fetch alone, from its log (s): the CAR read, verified and written to its cache | $(cell fetchonly.pd) | — | — | info | — |"
  row 2 "CID of $SZ (s): \`java -cp agent.jar …CidCommand FILE\` vs \`ipfs_cid FILE\`" cid info
  echo "| 2a | CID throughput (MiB/s), from row 2 | $(mibps "$(med cid.pd)") | $(mibps "$(med cid.ref)") | — | info | — |"
  echo
  echo "All runs (s; run order):"
  echo
  echo "| key | values |"
  echo "|---|---|"
  for k in fetch.pd fetch.ref fetchonly.pd cid.pd cid.ref; do
    [[ -n ${VALS[$k]:-} ]] && echo "| $k |${VALS[$k]} |"
  done
  echo
} | tee "$RESULTS"
log "results written to $RESULTS; logs in $LOGS/ipfs-*"
