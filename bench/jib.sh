#!/usr/bin/env bash
# pierdat benchmark of the Jib extension, side by side in one run (see docs/benchmarks.md, "Jib extension"):
#  (a) wall time of `mvn compile jib:buildTar` of one small app, warm (data in the pierdat cache, Jib's caches
#      full): with the pierdat extension, vs the same app baking the same file through <extraDirectories>,
#      vs the app alone;
#  (b) RSS of the running image in podman while its agent seeds the file over HTTP: process mode (agent JVM +
#      app JVM) vs javaagent mode (one JVM).
# jib:buildTar, not jib:build: no registry is needed, and pushing would time the registry too.
#
#   bench/jib.sh                                            # 1 GiB file, 3 repetitions
#   BENCH_SIZE_MB=4 BENCH_REPS=1 BENCH_SEED_SECONDS=5 bench/jib.sh   # smoke run
#
# Knobs (environment):
#   BENCH_SIZE_MB       size of the baked file in MiB                           (1024)
#   BENCH_REPS          repetitions of each timed build (the median is kept)    (3)
#   BENCH_SEED_SECONDS  how long the container is downloaded from while RSS is sampled  (20)
#   BENCH_WORK_DIR      data, caches, logs, base image, podman store            (bench/target/work)
#   BENCH_MAVEN_OPTS    MAVEN_OPTS of every timed Maven run                     (empty: JVM defaults)
#   BENCH_M2_TAIL       local repository read (never written) for resolution    (~/.m2/repository)
#   BENCH_SKIP_BUILD    1: do not rebuild pierdat-jib, use the staged one       (0)
#   BENCH_NO_INSTALL    1: never apt-get install, only print the command        (0)
# Results: stdout and bench/target/jib-results.md; every Maven log under $BENCH_WORK_DIR/logs/jib.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

SIZE_MB=${BENCH_SIZE_MB:-1024}
REPS=${BENCH_REPS:-3}
SEED_SECONDS=${BENCH_SEED_SECONDS:-20}
BENCH_MAVEN_OPTS=${BENCH_MAVEN_OPTS:-}
M2_TAIL=${BENCH_M2_TAIL:-$HOME/.m2/repository}
RESULTS=$BENCH_DIR/target/jib-results.md
[[ $SIZE_MB =~ ^[1-9][0-9]*$ ]] || die "BENCH_SIZE_MB='$SIZE_MB': expected a positive whole number of MiB, e.g. 64"
[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "BENCH_REPS='$REPS': expected a positive whole number, e.g. 3"
[[ $SEED_SECONDS =~ ^[1-9][0-9]*$ ]] || die "BENCH_SEED_SECONDS='$SEED_SECONDS': expected a positive whole number"

[[ $EUID -eq 0 ]] || die "bench/jib.sh runs podman with a private store and reads the containers' processes: run it as root"

mkdir -p "${BENCH_WORK_DIR:-$BENCH_DIR/target/work}" "$BENCH_DIR/target"
WORK=$(cd "${BENCH_WORK_DIR:-$BENCH_DIR/target/work}" && pwd)
M2_HEAD=$WORK/m2
JWORK=$WORK/jib-ext
LOGS=$WORK/logs/jib
mkdir -p "$JWORK" "$LOGS"
SAMPLE=$BENCH_DIR/projects/jib-extension/pom.xml
# The base image's runtime: what the agent needs, and java.instrument for -javaagent
JAVA_MODULES=java.base,java.logging,java.net.http,jdk.httpserver,java.management,java.naming,jdk.unsupported,jdk.crypto.ec,java.xml,jdk.zipfs,java.instrument

ensure_tools podman:podman runc:runc busybox:busybox-static ldd:libc-bin ps:procps

on_exit() { stop_nginx; podman_store_cleanup; }
trap on_exit EXIT
trap 'exit 130' INT TERM

setup_maven

# ---------------------------------------------------------------- one build

# jib_build LABEL VARIANT MVN-ARRAY-NAME [ARGS...]: `compile jib:buildTar` of the sample as VARIANT (app, data-dir,
# pierdat), timed; each variant keeps its own build directory and Jib application cache, so they stay warm
jib_build() {
  local label=$1 variant=$2; local -n mvn=$3; shift 3
  local dir=$JWORK/$variant profile=()
  [[ $variant != app ]] && profile=(-P "$variant")
  mkdir -p "$dir/tmp"
  timed "$LOGS/$label.log" env MAVEN_OPTS="$BENCH_MAVEN_OPTS -Djava.io.tmpdir=$dir/tmp" \
    "${mvn[@]}" -f "$SAMPLE" "${profile[@]}" -Dpierdat.version="$PIERDAT_VERSION" \
    -Dbench.baseTar="$BASE_TAR" -Dbench.dataDir="$WORK/www/$SIZE_MB" -Dbench.url="$URL" -Dbench.sha256="$SHA" \
    -Dbench.buildDir="$dir/target" -Djib.applicationCache="$dir/jib-app" -Djib.baseImageCache="$JWORK/jib-base" \
    -Dpierdat.cacheDirectory="$JWORK/pierdat-cache" -Dbench.image="bench-jib-$variant:1" "$@" compile jib:buildTar
}

# checks that a build made what it should: the image tar, holding the file unless it is the app alone, and for
# the extension a cache hit (the file was fetched once, before timing)
check_build() {
  local label=$1 variant=$2 tar=$JWORK/$2/target/jib-image.tar min=0
  [[ $variant != app ]] && min=$SIZE_MB
  [[ -f $tar ]] && (($(stat -c %s "$tar") >= min * 1048576)) || { echo "no image tar holding the data"; return 1; }
  if [[ $variant == pierdat ]] && ! grep -q 'pierdat: 1 artifact layer(s)' "$LOGS/$label.log"; then
    echo "the extension did not run"; return 1
  fi
  return 0
}

declare -A VALS=() FAILS=()
record() { VALS[$1]="${VALS[$1]:-} $2"; }

# ---------------------------------------------------------------- prepare

log "work dir $WORK; file $SIZE_MB MiB, $REPS repetitions, seeding $SEED_SECONDS s per agent mode"
make_blob "$WORK/www/smoke" 1 >/dev/null   # start_nginx checks it is up with this file
SHA=$(make_blob "$WORK/www/$SIZE_MB" "$SIZE_MB")
start_nginx "$WORK/www"
URL=http://127.0.0.1:$NGINX_PORT/$SIZE_MB/blob.bin
BASE_TAR=$JWORK/java-base.tar
java_base_tar "$BASE_TAR" "$JAVA_MODULES"

if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
  log "building pierdat-jib $PIERDAT_VERSION into the bench's own local repository"
  if ! MAVEN_OPTS="$BENCH_MAVEN_OPTS" "${MVN[@]}" -o -DskipTests -Dinvoker.skip -f "$ROOT/pom.xml" -pl pierdat-jib -am install \
      >"$LOGS/build-pierdat-jib.log" 2>&1; then
    MAVEN_OPTS="$BENCH_MAVEN_OPTS" "${MVN[@]}" -DskipTests -Dinvoker.skip -f "$ROOT/pom.xml" -pl pierdat-jib -am install \
      >"$LOGS/build-pierdat-jib.log" 2>&1 \
      || die "building pierdat-jib failed: $(first_error "$LOGS/build-pierdat-jib.log") (log $LOGS/build-pierdat-jib.log)"
  fi
fi

# Warm-up, untimed: resolves the plugins (online once if needed), compiles, fills Jib's caches and fetches the
# file into the pierdat cache. Timed runs then use the hermetic settings.
for variant in app data-dir pierdat; do
  log "warm-up: $variant"
  if ! jib_build "warmup-$variant" "$variant" MVN_HERMETIC; then
    jib_build "warmup-$variant-online" "$variant" MVN \
      || die "$variant warm-up failed: $(first_error "$LOGS/warmup-$variant-online.log") (log $LOGS/warmup-$variant-online.log)"
    jib_build "warmup-$variant" "$variant" MVN_HERMETIC || use_user_settings_for_timed_runs
  fi
  why=$(check_build "warmup-$variant" "$variant") || die "$variant warm-up: $why (log $LOGS/warmup-$variant.log)"
done

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

# ---------------------------------------------------------------- (a) build time, warm

for rep in $(seq 1 "$REPS"); do
  log "repetition $rep/$REPS"
  for variant in app data-dir pierdat; do
    label=build-$variant-$rep
    if jib_build "$label" "$variant" MVN_HERMETIC && why=$(check_build "$label" "$variant"); then
      if [[ $variant == pierdat ]] && ! grep -q '(1 from cache)' "$LOGS/$label.log"; then
        FAILS[$variant]="the file was not a cache hit (log logs/jib/$label.log)"
      fi
      record "$variant" "$T_SEC"
      log "$(printf '%-10s %8ss' "$variant" "$T_SEC")"
    else
      FAILS[$variant]="${why:-$(first_error "$LOGS/$label.log")} (log logs/jib/$label.log)"
    fi
    why=""
  done
done

# ---------------------------------------------------------------- (b) RSS while seeding

# seed_rss MODE: builds the image in agent MODE, runs it in podman, downloads the file from its HTTP seeder in
# a loop for SEED_SECONDS while sampling the RSS of the container's process tree; records peak and last
# sample (KiB), the process count and the bytes downloaded
seed_rss() {
  local mode=$1 tar=$JWORK/pierdat/target/jib-image.tar name port pid kib count peak=0 last=0 procs=0
  local image end loop_pid served
  jib_build "image-$mode" pierdat MVN_HERMETIC -Dbench.agentMode="$mode" \
    || { FAILS[rss.$mode]="build failed: $(first_error "$LOGS/image-$mode.log")"; return; }
  pm load -i "$tar" >"$LOGS/load-$mode.log" 2>&1 || { FAILS[rss.$mode]="podman load failed (logs/jib/load-$mode.log)"; return; }
  image=$(sed -n 's/^Loaded image[^:]*: *//p' "$LOGS/load-$mode.log" | tail -n 1)
  [[ -n $image ]] || { FAILS[rss.$mode]="podman load named no image (logs/jib/load-$mode.log)"; return; }
  port=$(free_port); name=bench-jib-$mode
  # the same hardening as production images: read-only root, non-root user, loopback only
  pm run -d --name "$name" --network=host --read-only --user 1000:1000 -e PIERDAT_BIND=127.0.0.1 \
    -e PIERDAT_HTTP_PORT="$port" -e PIERDAT_BACKENDS=http "$image" >"$LOGS/run-$mode.log" 2>&1 || { FAILS[rss.$mode]="podman run failed (logs/jib/run-$mode.log)"; return; }
  local url=http://127.0.0.1:$port/data/blob.bin deadline=$((SECONDS + 120))
  until grep -q '^BENCH-APP ' <(pm logs "$name" 2>&1) && curl -sf -o /dev/null -r 0-0 "$url"; do
    if ((SECONDS > deadline)); then
      pm logs "$name" >"$LOGS/container-$mode.log" 2>&1 || true
      FAILS[rss.$mode]="the app or its seeder did not come up in 120 s (logs/jib/container-$mode.log)"
      pm rm -f -t 0 "$name" >/dev/null 2>&1 || true
      return
    fi
    sleep 0.5
  done
  pid=$(pm inspect -f '{{.State.Pid}}' "$name")
  served=$(curl -sf "$url" | sha256sum | cut -d' ' -f1)
  [[ $served == "$SHA" ]] || FAILS[rss.$mode]="the container served a file with sha256 $served, not $SHA"
  # download in a loop (the agent seeds) while sampling RSS twice a second
  : >"$JWORK/downloads-$mode"
  (while :; do curl -sf -o /dev/null "$url" && echo >>"$JWORK/downloads-$mode" || sleep 0.2; done) &
  loop_pid=$!
  end=$((SECONDS + SEED_SECONDS))
  while ((SECONDS < end)); do
    read -r kib count < <(tree_rss_kib "$pid")
    ((kib > peak)) && peak=$kib
    last=$kib; ((count > procs)) && procs=$count
    sleep 0.5
  done
  kill "$loop_pid" 2>/dev/null || true; wait "$loop_pid" 2>/dev/null || true
  pm logs "$name" >"$LOGS/container-$mode.log" 2>&1 || true
  pm stop -t 15 "$name" >/dev/null 2>&1 || true
  pm rm -f -t 0 "$name" >/dev/null 2>&1 || true
  if ((peak == 0)); then
    FAILS[rss.$mode]="could not read the container's processes (pid $pid)"
    return
  fi
  local downloads; downloads=$(wc -l <"$JWORK/downloads-$mode")
  ((downloads > 0)) || FAILS[rss.$mode]="no download from the container completed while sampling"
  record "rss.$mode" "$peak"; record "rsslast.$mode" "$last"; record "procs.$mode" "$procs"
  record "downloads.$mode" "$downloads"
  log "$(printf '%-10s peak %s MiB, last %s MiB, %s process(es), %s downloads of the file while sampling' \
    "$mode" "$(kib_to_mib "$peak")" "$(kib_to_mib "$last")" "$procs" "$downloads")"
}

podman_store "$JWORK/podman"
log "podman $(podman --version | awk '{print $3}') ($PODMAN_DRIVER storage, runc)"
for mode in process javaagent; do
  log "RSS while seeding: $mode mode"
  seed_rss "$mode"
done

# ---------------------------------------------------------------- report

med() {
  # shellcheck disable=SC2086
  local m; m=$(median ${VALS[$1]:-})
  [[ $1 == rss* && -n $m ]] && m=$(kib_to_mib "$m")
  echo "$m"
}
cell() { if [[ -n ${FAILS[$1]:-} ]]; then echo "FAILED: ${FAILS[$1]}"; else med "$1"; fi; }
ratio_of() { [[ -z ${FAILS[$1]:-} && -z ${FAILS[$2]:-} ]] && ratio "$(med "$1")" "$(med "$2")" || echo ""; }

over_dir=$(ratio_of pierdat data-dir); over_app=$(ratio_of pierdat app)
v=$(verdict "$over_dir" 1.10); [[ -n ${FAILS[pierdat]:-} ]] && v=FAIL
rss_ratio=$(ratio_of rss.process rss.javaagent)
JDK=$(java -version 2>&1 | head -n 1)
CPU=$(sed -n 's/^model name\s*:\s*//p' /proc/cpuinfo | head -n 1)
RAM_GIB=$(awk '/MemTotal/ { printf "%.1f", $2/1048576 }' /proc/meminfo)
COMMIT=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)

{
  echo "### Jib extension results $(date -u +%Y-%m-%dT%H:%MZ) (commit $COMMIT)"
  echo
  echo "Machine: $(nproc) CPUs ($CPU), $RAM_GIB GiB RAM, $(uname -sr); $JDK; jib-maven-plugin 3.5.2; podman"
  echo "$(podman --version | awk '{print $3}') with runc. Load average (1, 5, 15 min) at start: $LOAD_START; at end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "$NETWORK_NOTE MAVEN_OPTS: \`${BENCH_MAVEN_OPTS:-<JVM defaults>}\`."
  echo "File: $SIZE_MB MiB of random bytes. Build times: median of $REPS warm runs of \`mvn compile jib:buildTar\`, wall seconds."
  echo
  echo "| # | figure | pierdat | reference | ratio | target | result |"
  echo "|---|---|---|---|---|---|---|"
  echo "| a | build, warm (s): with the extension vs the file through \`<extraDirectories>\` | $(cell pierdat) | $(cell data-dir) | ${over_dir:-—} | ≤ 1.10× | $v |"
  echo "| a2 | build, warm (s): with the extension vs the app alone (no file) | $(cell pierdat) | $(cell app) | ${over_app:-—} | info | — |"
  echo "| b | RSS while seeding, peak (MiB): process mode (agent JVM + app JVM) vs javaagent mode (one JVM) | $(cell rss.process) | $(cell rss.javaagent) | ${rss_ratio:-—} | info | — |"
  echo "| b2 | RSS at the end of seeding (MiB): process vs javaagent | $(med rsslast.process) | $(med rsslast.javaagent) | — | info | — |"
  echo "| b3 | processes in the container: process vs javaagent | ${VALS[procs.process]:- —} | ${VALS[procs.javaagent]:- —} | — | info | — |"
  echo "| b4 | complete downloads of the file from the container while sampling: process vs javaagent | ${VALS[downloads.process]:- —} | ${VALS[downloads.javaagent]:- —} | — | info | — |"
  echo
  echo "All runs (s, or KiB for RSS):"
  echo
  echo "| key | values |"
  echo "|---|---|"
  for k in pierdat data-dir app rss.process rss.javaagent; do
    [[ -n ${VALS[$k]:-} ]] && echo "| $k |${VALS[$k]} |"
  done
  echo
} | tee "$RESULTS"
log "results written to $RESULTS; logs in $LOGS"
