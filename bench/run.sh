#!/usr/bin/env bash
# pierdat benchmark: pierdat-maven-plugin against the tools a user would otherwise use (curl + sha256sum,
# plain jib:buildTar), side by side in one run, on a file served by a local nginx. See docs/benchmarks.md.
#
#   bench/run.sh                      # 1 GiB figures, 3 repetitions, memory check at 1 GiB and 4 GiB
#   BENCH_SIZE_MB=64 bench/run.sh     # quick run (memory check at 64 and 256 MiB)
#
# Knobs (environment):
#   BENCH_SIZE_MB      size of the benchmark file in MiB                     (1024)
#   BENCH_BIG_SIZE_MB  second size for the memory check; 0 skips it           (4 x BENCH_SIZE_MB)
#   BENCH_REPS         repetitions of each timed figure (the median is kept)  (3)
#   BENCH_SIDES        both | reference | pierdat                             (both)
#   BENCH_WORK_DIR     data, caches, logs, nginx prefix                       (bench/target/work)
#   BENCH_MAVEN_OPTS   MAVEN_OPTS given to every timed Maven run, both sides  (empty: JVM defaults)
#   BENCH_RSS_MAVEN_OPTS  added for the memory-check runs, both sides  (-Xms512m -Xmx512m -XX:+AlwaysPreTouch)
#   BENCH_M2_TAIL      local repository read (never written) for resolution   (~/.m2/repository)
#   BENCH_SKIP_BUILD   1: do not rebuild the plugin, use the staged one       (0)
#   BENCH_NO_INSTALL   1: never apt-get install, only print the command       (0)
# Results: stdout and bench/target/results.md; every Maven log under $BENCH_WORK_DIR/logs.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

SIZE_MB=${BENCH_SIZE_MB:-1024}
[[ $SIZE_MB =~ ^[1-9][0-9]*$ ]] || die "BENCH_SIZE_MB='$SIZE_MB': expected a positive whole number of MiB, e.g. BENCH_SIZE_MB=64"
BIG_MB=${BENCH_BIG_SIZE_MB:-$((4 * SIZE_MB))}
REPS=${BENCH_REPS:-3}
SIDES=${BENCH_SIDES:-both}
BENCH_MAVEN_OPTS=${BENCH_MAVEN_OPTS:-}
# A fixed, pre-touched heap makes the memory check deterministic: the heap counts fully from the start, so
# growth with the file size can only come from outside the heap (mmap, direct buffers), and a heap that
# would grow with the file fails with OutOfMemoryError instead of hiding in GC timing.
RSS_MAVEN_OPTS=${BENCH_RSS_MAVEN_OPTS--Xms512m -Xmx512m -XX:+AlwaysPreTouch}
M2_TAIL=${BENCH_M2_TAIL:-$HOME/.m2/repository}
RESULTS=$BENCH_DIR/target/results.md

[[ $BIG_MB =~ ^[0-9]+$ ]] || die "BENCH_BIG_SIZE_MB='$BIG_MB': expected a whole number of MiB (0 skips the second size)"
[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "BENCH_REPS='$REPS': expected a positive whole number, e.g. 3"
[[ $SIDES =~ ^(both|reference|pierdat)$ ]] || die "BENCH_SIDES='$SIDES': expected both, reference or pierdat"

mkdir -p "${BENCH_WORK_DIR:-$BENCH_DIR/target/work}" "$BENCH_DIR/target"
WORK=$(cd "${BENCH_WORK_DIR:-$BENCH_DIR/target/work}" && pwd)
M2_HEAD=$WORK/m2
LOGS=$WORK/logs
mkdir -p "$LOGS" "$WORK/run" "$WORK/xdg-config"

ensure_tools

on_exit() { stop_nginx; }
trap on_exit EXIT
trap 'exit 130' INT TERM

setup_maven

# ---------------------------------------------------------------- results store

declare -A VALS=() FAILS=()
record() { VALS[$1]="${VALS[$1]:-} $2"; }
fail() { FAILS[$1]="$2"; }
PIERDAT_STATE=""   # empty: runnable; otherwise why the pierdat side is not measured

# ---------------------------------------------------------------- one Maven run per side

# jib_run LABEL RUNDIR SIZEDIR MVN-ARRAY-NAME GOALS...: plain Jib sample, classes kept in $WORK/jib-build
jib_run() {
  local label=$1 run=$2 sizedir=$3; local -n mvn=$4; shift 4
  maven_env "$run"
  timed "$LOGS/$label.log" env "${MENV[@]}" "${mvn[@]}" \
    -f "$BENCH_DIR/projects/jib-plain/pom.xml" \
    -Dbench.dataDir="$WORK/www/$sizedir" -Dbench.buildDir="$WORK/jib-build" \
    -Djib.applicationCache="$run/jib-app" -Djib.baseImageCache="$run/jib-base" "$@"
}

# cache_holds DIR MIB: some file of exactly MIB MiB sits in the pierdat cache
cache_holds() { [[ -n $(find "$1" -type f -size "$(($2 * 1048576))c" -print -quit 2>/dev/null) ]]; }

note_run() { log "$(printf '%-28s %8ss  %6s MiB RSS  %s' "$1" "$T_SEC" "$(kib_to_mib "$T_RSS_KIB")" "${2:-}")"; }

# ---------------------------------------------------------------- prepare

log "work dir $WORK; file ${SIZE_MB} MiB, memory check at ${BIG_MB} MiB, $REPS repetitions, sides: $SIDES"
SMOKE_SHA=$(make_blob "$WORK/www/smoke" 1)
SHA=$(make_blob "$WORK/www/$SIZE_MB" "$SIZE_MB")
BIG_SHA=""
((BIG_MB > 0)) && BIG_SHA=$(make_blob "$WORK/www/$BIG_MB" "$BIG_MB")
start_nginx "$WORK/www"
URL=http://127.0.0.1:$NGINX_PORT/$SIZE_MB/blob.bin

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

if [[ $SIDES != pierdat ]]; then
  log "reference side: compiling the plain Jib sample and a smoke jib:buildTar"
  rm -rf "$WORK/jib-build"; fresh_run "$WORK/run/smoke-jib"
  if ! jib_run prep-jib "$WORK/run/smoke-jib" smoke MVN_HERMETIC compile jib:buildTar; then
    log "resolving the reference side's plugins online once (log $LOGS/prep-jib-online.log)"
    jib_run prep-jib-online "$WORK/run/smoke-jib" smoke MVN compile jib:buildTar \
      || die "plain Jib sample failed: $(first_error "$LOGS/prep-jib-online.log") (log $LOGS/prep-jib-online.log)"
    if ! jib_run prep-jib "$WORK/run/smoke-jib" smoke MVN_HERMETIC compile jib:buildTar; then
      use_user_settings_for_timed_runs
      jib_run prep-jib "$WORK/run/smoke-jib" smoke MVN_HERMETIC compile jib:buildTar \
        || die "plain Jib sample failed: $(first_error "$LOGS/prep-jib.log") (log $LOGS/prep-jib.log)"
    fi
  fi
  tar_holds "$WORK/jib-build/jib-image.tar" 1 || die "plain Jib sample wrote no image tar holding the data"
  rm -rf "$WORK/run/smoke-jib"
fi

if [[ $SIDES == reference ]]; then
  PIERDAT_STATE="skipped (BENCH_SIDES=reference)"
else
  if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    stage_plugin || PIERDAT_STATE="plugin build failed: $(first_error "$LOGS/build-plugin.log")"
  fi
  if [[ -z $PIERDAT_STATE ]]; then
    log "pierdat side: smoke pierdat:fetch pierdat:buildTar of 1 MiB"
    fresh_run "$WORK/run/smoke-pierdat"
    if ! pierdat_run prep-pierdat "$WORK/run/smoke-pierdat" smoke "$SMOKE_SHA" MVN_HERMETIC pierdat:fetch pierdat:buildTar; then
      pierdat_run prep-pierdat-online "$WORK/run/smoke-pierdat" smoke "$SMOKE_SHA" MVN pierdat:fetch pierdat:buildTar || true
      fresh_run "$WORK/run/smoke-pierdat"
      pierdat_run prep-pierdat "$WORK/run/smoke-pierdat" smoke "$SMOKE_SHA" MVN_HERMETIC pierdat:fetch pierdat:buildTar \
        || PIERDAT_STATE="smoke run failed: $(first_error "$LOGS/prep-pierdat.log")"
    fi
    if [[ -z $PIERDAT_STATE ]] && ! tar_holds "$WORK/run/smoke-pierdat/target/pierdat-image.tar" 1; then
      PIERDAT_STATE="smoke run wrote no target/pierdat-image.tar holding the data"
    fi
    rm -rf "$WORK/run/smoke-pierdat"
  fi
  [[ -z $PIERDAT_STATE ]] || log "pierdat side NOT measured: $PIERDAT_STATE"
fi
REF_ON=0; [[ $SIDES != pierdat ]] && REF_ON=1
PD_ON=0; [[ -z $PIERDAT_STATE ]] && PD_ON=1

# ---------------------------------------------------------------- 1-3: fetch, buildTar cold, warm no-op

# Read the file once through nginx so both sides start from the same page cache.
curl -sf -o /dev/null "$URL"

for rep in $(seq 1 "$REPS"); do
  log "repetition $rep/$REPS"
  if ((REF_ON)); then
    out=$WORK/run/curl; rm -rf "$out"; mkdir -p "$out"
    if timed "$LOGS/fetch-curl-$rep.log" bash -c 'curl -sS -f -o "$1" "$2" && sha256sum "$1"' _ "$out/blob.bin" "$URL" \
        && [[ $(cut -d' ' -f1 "$LOGS/fetch-curl-$rep.log") == "$SHA" ]]; then
      record fetch.ref "$T_SEC"; note_run "curl+sha256sum"
    else
      fail fetch.ref "curl or sha256 mismatch (log logs/fetch-curl-$rep.log)"
    fi
    rm -rf "$out"
    fresh_run "$WORK/run/startup"
    if jib_run startup-$rep "$WORK/run/startup" "$SIZE_MB" MVN_HERMETIC validate; then
      record startup.ref "$T_SEC"; note_run "mvn validate (startup)"
    fi
    rm -rf "$WORK/run/startup"
  fi

  if ((PD_ON)); then
    run=$WORK/run/pierdat-fetch; fresh_run "$run"
    if pierdat_run fetch-pierdat-cold-$rep "$run" "$SIZE_MB" "$SHA" MVN_HERMETIC pierdat:fetch \
        && cache_holds "$run/cache" "$SIZE_MB" && [[ -f $run/target/pierdat/pier.dat ]]; then
      record fetch.pd "$T_SEC"; note_run "pierdat:fetch cold"
      # warm must be a cache hit, which the plugin logs as "[pierdat] <name>: <size> from cache sha256 <hex>"
      if pierdat_run fetch-pierdat-warm-$rep "$run" "$SIZE_MB" "$SHA" MVN_HERMETIC pierdat:fetch \
          && grep -q '\[pierdat\] .* from cache' "$LOGS/fetch-pierdat-warm-$rep.log"; then
        record fetchwarm.pd "$T_SEC"; note_run "pierdat:fetch warm"
      else
        fail fetchwarm.pd "not a cache hit, or $(first_error "$LOGS/fetch-pierdat-warm-$rep.log") (log logs/fetch-pierdat-warm-$rep.log)"
      fi
    else
      fail fetch.pd "$(first_error "$LOGS/fetch-pierdat-cold-$rep.log") (log logs/fetch-pierdat-cold-$rep.log)"
    fi
    rm -rf "$run"
  fi

  if ((REF_ON)); then
    run=$WORK/run/jib; fresh_run "$run"; rm -f "$WORK/jib-build/jib-image.tar"
    if jib_run buildtar-jib-cold-$rep "$run" "$SIZE_MB" MVN_HERMETIC jib:buildTar \
        && tar_holds "$WORK/jib-build/jib-image.tar" "$SIZE_MB"; then
      record cold.ref "$T_SEC"; record coldrss.ref "$T_RSS_KIB"; note_run "jib:buildTar cold"
      if jib_run buildtar-jib-warm-$rep "$run" "$SIZE_MB" MVN_HERMETIC jib:buildTar \
          && tar_holds "$WORK/jib-build/jib-image.tar" "$SIZE_MB"; then
        record warm.ref "$T_SEC"; note_run "jib:buildTar warm"
      else
        fail warm.ref "$(first_error "$LOGS/buildtar-jib-warm-$rep.log")"
      fi
    else
      fail cold.ref "$(first_error "$LOGS/buildtar-jib-cold-$rep.log") (log logs/buildtar-jib-cold-$rep.log)"
    fi
    rm -rf "$run" "$WORK/jib-build/jib-image.tar"
  fi

  if ((PD_ON)); then
    run=$WORK/run/pierdat; fresh_run "$run"
    tar=$run/target/pierdat-image.tar
    if pierdat_run buildtar-pierdat-cold-$rep "$run" "$SIZE_MB" "$SHA" MVN_HERMETIC pierdat:buildTar \
        && tar_holds "$tar" "$SIZE_MB"; then
      record cold.pd "$T_SEC"; record coldrss.pd "$T_RSS_KIB"; note_run "pierdat:buildTar cold"
      if pierdat_run buildtar-pierdat-warm-$rep "$run" "$SIZE_MB" "$SHA" MVN_HERMETIC pierdat:buildTar \
          && tar_holds "$tar" "$SIZE_MB"; then
        record warm.pd "$T_SEC"; note_run "pierdat:buildTar warm"
      else
        fail warm.pd "$(first_error "$LOGS/buildtar-pierdat-warm-$rep.log")"
      fi
    else
      fail cold.pd "$(first_error "$LOGS/buildtar-pierdat-cold-$rep.log") (log logs/buildtar-pierdat-cold-$rep.log)"
    fi
    rm -rf "$run"
  fi
done

# ---------------------------------------------------------------- 4: peak RSS at two sizes (one cold run each)

rss_sizes=("$SIZE_MB"); ((BIG_MB > 0)) && rss_sizes+=("$BIG_MB")
EXTRA_OPTS=$RSS_MAVEN_OPTS
for i in "${!rss_sizes[@]}"; do
  mib=${rss_sizes[$i]}; key=rss$((i + 1)); sha=$SHA; ((i == 1)) && sha=$BIG_SHA
  if ((REF_ON)); then
    run=$WORK/run/jib; fresh_run "$run"; rm -f "$WORK/jib-build/jib-image.tar"
    if jib_run rss-jib-$mib "$run" "$mib" MVN_HERMETIC jib:buildTar && tar_holds "$WORK/jib-build/jib-image.tar" "$mib"; then
      record "$key.ref" "$T_RSS_KIB"; note_run "jib:buildTar $mib MiB"
    else
      fail "$key.ref" "$(first_error "$LOGS/rss-jib-$mib.log") (log logs/rss-jib-$mib.log)"
    fi
    rm -rf "$run" "$WORK/jib-build/jib-image.tar"
  fi
  if ((PD_ON)); then
    run=$WORK/run/pierdat; fresh_run "$run"
    if pierdat_run rss-pierdat-$mib "$run" "$mib" "$sha" MVN_HERMETIC pierdat:fetch pierdat:buildTar \
        && tar_holds "$run/target/pierdat-image.tar" "$mib"; then
      record "$key.pd" "$T_RSS_KIB"; note_run "pierdat fetch+buildTar $mib MiB"
    else
      fail "$key.pd" "$(first_error "$LOGS/rss-pierdat-$mib.log") (log logs/rss-pierdat-$mib.log)"
    fi
    rm -rf "$run"
  fi
done

EXTRA_OPTS=""

# ---------------------------------------------------------------- report

# med KEY: median of the recorded values (RSS keys in MiB)
med() {
  # shellcheck disable=SC2086
  local m; m=$(median ${VALS[$1]:-})
  [[ $1 == *rss* && -n $m ]] && m=$(kib_to_mib "$m")
  echo "$m"
}
# cell KEY SIDE: the median, or why there is none
cell() {
  if [[ -n ${FAILS[$1]:-} ]]; then echo "FAILED: ${FAILS[$1]}"
  elif [[ -n ${VALS[$1]:-} ]]; then med "$1"
  elif [[ $2 == pd && -n $PIERDAT_STATE ]]; then echo "not yet measured"
  elif [[ $2 == ref && $REF_ON == 0 ]]; then echo "not measured (BENCH_SIDES=pierdat)"
  else echo "—"; fi
}
# row NUM FIGURE KEY TARGET: a ratio row pierdat vs reference
row() {
  local r=""; [[ -z ${FAILS[$3.pd]:-} && -z ${FAILS[$3.ref]:-} ]] && r=$(ratio "$(med "$3.pd")" "$(med "$3.ref")")
  local v; v=$(verdict "$r" "$4")
  [[ -n ${FAILS[$3.pd]:-} ]] && v=FAIL
  echo "| $1 | $2 | $(cell "$3.pd" pd) | $(cell "$3.ref" ref) | ${r:-—} | ≤ $4× | $v |"
}

JDK=$(java -version 2>&1 | head -n 1)
MAVEN_VER=$(sed -n 's/.*apache-maven-\([0-9.]*\)-bin.*/\1/p' "$ROOT/.mvn/wrapper/maven-wrapper.properties")
CPU=$(sed -n 's/^model name\s*:\s*//p' /proc/cpuinfo | head -n 1)
RAM_GIB=$(awk '/MemTotal/ { printf "%.1f", $2/1048576 }' /proc/meminfo)
COMMIT=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
SZ="$SIZE_MB MiB"

rss_growth_pd=$(ratio "$(med rss2.pd)" "$(med rss1.pd)")
rss_growth_ref=$(ratio "$(med rss2.ref)" "$(med rss1.ref)")
rss_verdict=$(verdict "$rss_growth_pd" 1.10)
[[ -n ${FAILS[rss1.pd]:-}${FAILS[rss2.pd]:-} ]] && rss_verdict=FAIL

{
  echo "### Results $(date -u +%Y-%m-%dT%H:%MZ) (commit $COMMIT)"
  echo
  echo "Machine: $(nproc) CPUs ($CPU), $RAM_GIB GiB RAM, $(uname -sr); $JDK; Maven $MAVEN_VER (wrapper);"
  echo "nginx $("$NGINX_BIN" -v 2>&1 | sed 's/.*\///'); $(curl --version | head -n 1 | cut -d' ' -f1-2)."
  echo "Load average (1, 5, 15 min) at start: $LOAD_START; at end: $(cut -d' ' -f1-3 /proc/loadavg). MAVEN_OPTS (both sides): \`${BENCH_MAVEN_OPTS:-<JVM defaults>} -Djava.io.tmpdir=<fresh per run>\`; memory check (4a-4c) adds \`${RSS_MAVEN_OPTS:-nothing}\`."
  echo "$NETWORK_NOTE"
  echo "File: $SZ of random bytes, served by nginx (sendfile) on 127.0.0.1. Times: median of $REPS runs, wall seconds."
  echo
  echo "| # | figure | pierdat | reference | ratio | target | result |"
  echo "|---|---|---|---|---|---|---|"
  row 1 "fetch $SZ, cold cache (s): \`pierdat:fetch\` vs \`curl -o\` + \`sha256sum\`" fetch 1.10
  echo "| 1a | fixed Maven cost (s): \`pierdat:fetch\`, warm cache vs \`mvn validate\` | $(cell fetchwarm.pd pd) | $(cell startup.ref ref) | — | info | — |"
  row 2 "buildTar $SZ, cold caches (s): \`pierdat:buildTar\` vs \`jib:buildTar\`" cold 1.10
  row 3 "buildTar, warm no-op rebuild (s): \`pierdat:buildTar\` vs \`jib:buildTar\`" warm 1.10
  echo "| 4 | peak RSS of the cold buildTar runs of row 2, JVM heap defaults (MiB) | $(cell coldrss.pd pd) | $(cell coldrss.ref ref) | — | info | — |"
  echo "| 4a | peak RSS, $SZ, memory-check heap (MiB): \`pierdat:fetch pierdat:buildTar\` vs \`jib:buildTar\` | $(cell rss1.pd pd) | $(cell rss1.ref ref) | — | info | — |"
  if ((BIG_MB > 0)); then
    echo "| 4b | peak RSS, $BIG_MB MiB (MiB): same commands | $(cell rss2.pd pd) | $(cell rss2.ref ref) | — | info | — |"
    echo "| 4c | RSS growth $BIG_MB / $SIZE_MB MiB (must stay flat) | ${rss_growth_pd:-$(cell rss2.pd pd)} | ${rss_growth_ref:-—} | ${rss_growth_pd:-—} | ≤ 1.10× | $rss_verdict |"
  fi
  echo
  [[ -n $PIERDAT_STATE ]] && echo "pierdat side not yet measured: $PIERDAT_STATE" && echo
  echo "All runs (s, or KiB for RSS; run order):"
  echo
  echo "| key | values |"
  echo "|---|---|"
  for k in fetch.pd fetch.ref fetchwarm.pd startup.ref cold.pd cold.ref warm.pd warm.ref coldrss.pd coldrss.ref rss1.pd rss1.ref rss2.pd rss2.ref; do
    [[ -n ${VALS[$k]:-} ]] && echo "| $k |${VALS[$k]} |"
  done
  echo
} | tee "$RESULTS"
log "results written to $RESULTS; Maven logs in $LOGS"
