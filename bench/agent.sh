#!/usr/bin/env bash
# pierdat benchmark, run-time side: the agent in a real container (podman + runc, --network=host) against
# what a user would otherwise run, side by side in one run. See docs/benchmarks.md, section "Agent".
#
#   bench/agent.sh                      # 1 GiB artifact, 3 repetitions of the throughput figures
#   BENCH_SIZE_MB=16 bench/agent.sh     # quick smoke run
#
# Figures: (1) HTTP seeding of the artifact from a running pierdat container to 1 and (2) to 8 concurrent curl
# clients vs nginx serving the same file; (3) time from `podman run` to the app's first output line, with the
# agent vs the same image's app run directly; (4) the agent's RSS while it seeds to 8 clients.
#
# Knobs (environment):
#   BENCH_SIZE_MB      size of the artifact in MiB                                   (1024)
#   BENCH_REPS         repetitions of each throughput figure (the median is kept)   (3)
#   BENCH_STARTS       container starts per side for figure 3 (the median is kept)  (7)
#   BENCH_CLIENTS      concurrent clients of figure 2                                (8)
#   BENCH_WORK_DIR     data, caches, logs, nginx prefix, podman store               (bench/target/work)
#   BENCH_MAVEN_OPTS   MAVEN_OPTS of the image build                                 (empty)
#   BENCH_M2_TAIL      local repository read (never written) for resolution          (~/.m2/repository)
#   BENCH_SKIP_BUILD   1: do not rebuild the plugin, use the staged one              (0)
#   BENCH_NO_INSTALL   1: never apt-get install, only print the command              (0)
# Results: stdout and bench/target/agent-results.md; logs under $BENCH_WORK_DIR/logs/agent-*.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
# shellcheck source=bench/lib.sh
source "$BENCH_DIR/lib.sh"

SIZE_MB=${BENCH_SIZE_MB:-1024}
REPS=${BENCH_REPS:-3}
STARTS=${BENCH_STARTS:-7}
CLIENTS=${BENCH_CLIENTS:-8}
M2_TAIL=${BENCH_M2_TAIL:-$HOME/.m2/repository}
RESULTS=$BENCH_DIR/target/agent-results.md
[[ $SIZE_MB =~ ^[1-9][0-9]*$ ]] || die "BENCH_SIZE_MB='$SIZE_MB': expected a positive whole number of MiB, e.g. BENCH_SIZE_MB=64"
[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "BENCH_REPS='$REPS': expected a positive whole number, e.g. 3"
[[ $STARTS =~ ^[1-9][0-9]*$ ]] || die "BENCH_STARTS='$STARTS': expected a positive whole number, e.g. 7"
[[ $CLIENTS =~ ^[1-9][0-9]*$ ]] || die "BENCH_CLIENTS='$CLIENTS': expected a positive whole number, e.g. 8"
[[ $EUID -eq 0 ]] || die "bench/agent.sh runs podman with a private store and reads the agent's /proc entry: run it as root"

mkdir -p "${BENCH_WORK_DIR:-$BENCH_DIR/target/work}" "$BENCH_DIR/target"
WORK=$(cd "${BENCH_WORK_DIR:-$BENCH_DIR/target/work}" && pwd)
M2_HEAD=$WORK/m2
LOGS=$WORK/logs
AGENT_WORK=$WORK/agent
mkdir -p "$LOGS" "$WORK/run" "$WORK/xdg-config" "$AGENT_WORK"

ensure_tools podman:podman runc:runc busybox:busybox-static ldd:libc-bin

# ---------------------------------------------------------------- podman with a private store

podman_store "$AGENT_WORK/podman"

SEED_NAME=pierdat-bench-seed-$$
# The same hardening as production images: read-only root, non-root user, loopback only.
RUN_OPTS=(--network=host --read-only --user 1000:1000 -e PIERDAT_BIND=127.0.0.1)

on_exit() { stop_nginx; podman_store_cleanup; }
trap on_exit EXIT
trap 'exit 130' INT TERM

setup_maven

# ---------------------------------------------------------------- results store

declare -A VALS=() FAILS=()
record() { VALS[$1]="${VALS[$1]:-} $2"; }
fail() { FAILS[$1]="$2"; }

# ---------------------------------------------------------------- data, nginx, image

log "work dir $WORK; artifact ${SIZE_MB} MiB, $REPS repetitions, $STARTS starts per side, $CLIENTS clients; podman $PODMAN_DRIVER"
SMOKE_SHA=$(make_blob "$WORK/www/smoke" 1)
SHA=$(make_blob "$WORK/www/$SIZE_MB" "$SIZE_MB")
BYTES=$((SIZE_MB * 1048576))
start_nginx "$WORK/www"
NGINX_URL=http://127.0.0.1:$NGINX_PORT/$SIZE_MB/blob.bin
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

java_base_tar "$AGENT_WORK/base.tar" "$AGENT_JAVA_MODULES"
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
  stage_plugin || die "plugin build failed: $(first_error "$LOGS/build-plugin.log") (log $LOGS/build-plugin.log)"
fi
log "building the pierdat image of the $SIZE_MB MiB artifact (pierdat:buildTar from the Java base)"
run=$WORK/run/agent-image; fresh_run "$run"
if ! pierdat_run agent-buildtar "$run" "$SIZE_MB" "$SHA" MVN_HERMETIC pierdat:buildTar -Dbench.from="tar://$AGENT_WORK/base.tar"; then
  fresh_run "$run"
  pierdat_run agent-buildtar-online "$run" "$SIZE_MB" "$SHA" MVN pierdat:buildTar -Dbench.from="tar://$AGENT_WORK/base.tar" \
    || die "pierdat:buildTar failed: $(first_error "$LOGS/agent-buildtar-online.log") (log $LOGS/agent-buildtar-online.log)"
fi
tar_holds "$run/target/pierdat-image.tar" "$SIZE_MB" || die "pierdat:buildTar wrote no image tar holding the artifact"
IMAGE=$(pm load -q -i "$run/target/pierdat-image.tar" 2>"$LOGS/agent-load.log" | sed -n 's/^Loaded image[^:]*: *//p' | head -n 1)
[[ -n $IMAGE ]] || die "podman load gave no image name: $(tail -n 1 "$LOGS/agent-load.log")"
rm -rf "$run"
log "image $IMAGE loaded"

# ---------------------------------------------------------------- 1, 2, 4: seeding throughput and RSS

# await_http URL: waits up to 30 s for URL to answer 200
await_http() {
  local i
  for i in $(seq 1 300); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
  return 1
}

SEED_PORT=$(free_port)
pm run -d --name "$SEED_NAME" "${RUN_OPTS[@]}" -e PIERDAT_HTTP_PORT="$SEED_PORT" "$IMAGE" >"$LOGS/agent-seed-run.log" 2>&1 \
  || die "cannot start the seeding container: $(tail -n 1 "$LOGS/agent-seed-run.log")"
SEED_URL=http://127.0.0.1:$SEED_PORT/artifacts/$SHA
await_http "http://127.0.0.1:$SEED_PORT/healthz" || die "the agent's HTTP seeder did not come up: $(pm logs "$SEED_NAME" 2>&1 | tail -n 3)"
AGENT_PID=$(pm inspect --format '{{.State.Pid}}' "$SEED_NAME")
grep -q pierdat-agent.jar "/proc/$AGENT_PID/cmdline" || die "PID $AGENT_PID of the container is not the agent"
RSS_IDLE_KIB=$(awk '/^VmRSS:/ {print $2}' "/proc/$AGENT_PID/status")   # started, nothing served yet

# Both sides once, untimed: checks the bytes and puts the file in the page cache for both.
for url in "$SEED_URL" "$NGINX_URL"; do
  got=$(curl -sSf "$url" | sha256sum | cut -d' ' -f1)
  [[ $got == "$SHA" ]] || die "$url served bytes with sha256 $got, expected $SHA"
done

# fetch_parallel LABEL URL N: N concurrent curls of URL to /dev/null; prints MiB/s (all bytes / wall time),
# or fails if any curl failed or got a short body
fetch_parallel() {
  local label=$1 url=$2 n=$3 i pids=() ok=0 t0 t1
  t0=$(date +%s%N)
  for ((i = 0; i < n; i++)); do
    curl -sS -f -o /dev/null -w '%{size_download}\n' "$url" >"$LOGS/agent-$label-$i.out" 2>&1 & pids+=($!)
  done
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || ok=1; done
  t1=$(date +%s%N)
  for ((i = 0; i < n; i++)); do [[ $(tail -n 1 "$LOGS/agent-$label-$i.out") == "$BYTES" ]] || ok=1; done
  ((ok == 0)) || return 1
  awk -v b=$((n * BYTES)) -v ns=$((t1 - t0)) 'BEGIN { printf "%.1f\n", b / 1048576 / (ns / 1e9) }'
}

for rep in $(seq 1 "$REPS"); do
  log "seeding, repetition $rep/$REPS"
  for n in 1 "$CLIENTS"; do
    key=thr$n; [[ $n == 1 ]] || key=thrN
    # the two sides interleaved, so that machine noise hits both
    if rate=$(fetch_parallel "pd-$n-$rep" "$SEED_URL" "$n"); then
      record "$key.pd" "$rate"; log "$(printf '%-34s %8s MiB/s' "agent, $n client(s)" "$rate")"
    else
      fail "$key.pd" "a curl failed or got a short body (logs logs/agent-pd-$n-$rep-*.out)"
    fi
    if rate=$(fetch_parallel "ng-$n-$rep" "$NGINX_URL" "$n"); then
      record "$key.ref" "$rate"; log "$(printf '%-34s %8s MiB/s' "nginx, $n client(s)" "$rate")"
    else
      fail "$key.ref" "a curl failed or got a short body (logs logs/agent-ng-$n-$rep-*.out)"
    fi
  done
done

log "agent RSS while seeding to $CLIENTS clients"
echo 0 >"$AGENT_WORK/rss.max"
sample_rss "$AGENT_PID" "$AGENT_WORK/rss.max" & SAMPLER=$!
if ! fetch_parallel "pd-rss" "$SEED_URL" "$CLIENTS" >/dev/null; then
  fail rss.pd "a curl failed while sampling RSS (logs logs/agent-pd-rss-*.out)"
fi
kill "$SAMPLER" 2>/dev/null; wait "$SAMPLER" 2>/dev/null || true
record rss.pd "$(cat "$AGENT_WORK/rss.max")"
record hwm.pd "$(awk '/^VmHWM:/ {print $2}' "/proc/$AGENT_PID/status")"
curl -sf "http://127.0.0.1:$SEED_PORT/metrics" >"$LOGS/agent-metrics.txt" || true
pm logs "$SEED_NAME" >"$LOGS/agent-seed-container.log" 2>&1 || true
pm stop -t 10 "$SEED_NAME" >/dev/null 2>&1 || true
pm rm -f "$SEED_NAME" >/dev/null 2>&1 || true

# ---------------------------------------------------------------- 3: podman run to the app's first line

# first_line LABEL PODMAN-RUN-ARGS...: seconds from `podman run` to the first line on the container's stdout
first_line() {
  local label=$1; shift
  local t0 out=$LOGS/agent-$label.first
  rm -f "$out"
  t0=$(date +%s%N)
  pm run --rm "$@" 2>"$LOGS/agent-$label.err" | {
    IFS= read -r line && echo "$(($(date +%s%N) - t0)) $line" >"$out"
    cat >/dev/null
  }
  [[ -f $out && $(cut -d' ' -f2- "$out") == "first line" ]] || return 1
  awk -v ns="$(cut -d' ' -f1 "$out")" 'BEGIN { printf "%.3f\n", ns / 1e9 }'
}

APP=(-c 'echo first line')
pm run --rm "${RUN_OPTS[@]}" --entrypoint /bin/sh "$IMAGE" -c true >/dev/null 2>&1 || true  # warm-up, untimed
for rep in $(seq 1 "$STARTS"); do
  port=$(free_port)
  if t=$(first_line "start-pd-$rep" "${RUN_OPTS[@]}" -e PIERDAT_HTTP_PORT="$port" "$IMAGE" /bin/sh "${APP[@]}"); then
    record start.pd "$t"
  else
    fail start.pd "no 'first line' from the app under the agent (log logs/agent-start-pd-$rep.err)"
  fi
  if t=$(first_line "start-ref-$rep" "${RUN_OPTS[@]}" --entrypoint /bin/sh "$IMAGE" "${APP[@]}"); then
    record start.ref "$t"
  else
    fail start.ref "no 'first line' from the app alone (log logs/agent-start-ref-$rep.err)"
  fi
done
log "start-up: agent ${VALS[start.pd]:-} s; app alone ${VALS[start.ref]:-} s"

# ---------------------------------------------------------------- report

med() {
  # shellcheck disable=SC2086
  local m; m=$(median ${VALS[$1]:-})
  [[ ($1 == rss* || $1 == hwm*) && -n $m ]] && m=$(kib_to_mib "$m")
  echo "$m"
}
cell() {
  if [[ -n ${FAILS[$1]:-} ]]; then echo "FAILED: ${FAILS[$1]}"
  elif [[ -n ${VALS[$1]:-} ]]; then med "$1"
  else echo "—"; fi
}
# at_least RATIO TARGET: PASS if ratio >= target
at_least() {
  [[ -n ${1:-} ]] || { echo "—"; return; }
  awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t) ? "PASS" : "FAIL" }'
}
# throughput_row NUM FIGURE KEY
throughput_row() {
  local r=""; [[ -z ${FAILS[$3.pd]:-} && -z ${FAILS[$3.ref]:-} ]] && r=$(ratio "$(med "$3.pd")" "$(med "$3.ref")")
  local v; v=$(at_least "$r" 0.80); [[ -n ${FAILS[$3.pd]:-} ]] && v=FAIL
  echo "| $1 | $2 | $(cell "$3.pd") | $(cell "$3.ref") | ${r:-—} | ≥ 0.80× | $v |"
}

start_diff=""
[[ -z ${FAILS[start.pd]:-} && -z ${FAILS[start.ref]:-} && -n ${VALS[start.pd]:-} && -n ${VALS[start.ref]:-} ]] \
  && start_diff=$(awk -v a="$(med start.pd)" -v b="$(med start.ref)" 'BEGIN { printf "%+.2f\n", a - b }')
start_verdict=$(verdict "$start_diff" 0.50); [[ -n ${FAILS[start.pd]:-} ]] && start_verdict=FAIL
rss_verdict=$(verdict "$(med rss.pd)" 64); [[ -n ${FAILS[rss.pd]:-} ]] && rss_verdict=FAIL

JDK=$(java -version 2>&1 | head -n 1)
CPU=$(sed -n 's/^model name\s*:\s*//p' /proc/cpuinfo | head -n 1)
RAM_GIB=$(awk '/MemTotal/ { printf "%.1f", $2/1048576 }' /proc/meminfo)
COMMIT=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)
SZ="$SIZE_MB MiB"

{
  echo "### Agent results $(date -u +%Y-%m-%dT%H:%MZ) (commit $COMMIT)"
  echo
  echo "Machine: $(nproc) CPUs ($CPU), $RAM_GIB GiB RAM, $(uname -sr); $JDK (jlink runtime in the image);"
  echo "$(pm --version) with runc, storage $PODMAN_DRIVER, --network=host; nginx $("$NGINX_BIN" -v 2>&1 | sed 's/.*\///'); $(curl --version | head -n 1 | cut -d' ' -f1-2)."
  echo "Load average (1, 5, 15 min) at start: $LOAD_START; at end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Artifact: $SZ of random bytes. Containers: --read-only --user 1000:1000, agent with the image's default JVM flags."
  echo "Throughput: median of $REPS runs (MiB/s, all clients' bytes / wall time). Start-up: median of $STARTS starts per side (s)."
  echo
  echo "| # | figure | pierdat | reference | ratio | target | result |"
  echo "|---|---|---|---|---|---|---|"
  throughput_row 1 "HTTP seeding $SZ, 1 client (MiB/s): agent in a container vs nginx (sendfile)" thr1
  throughput_row 2 "HTTP seeding $SZ, $CLIENTS concurrent clients (MiB/s, total): agent vs nginx" thrN
  echo "| 3 | \`podman run\` to the app's first output line (s): with the agent vs the app alone (\`--entrypoint\`) | $(cell start.pd) | $(cell start.ref) | ${start_diff:-—} s | ≤ +0.50 s | $start_verdict |"
  echo "| 4 | agent RSS while seeding to $CLIENTS clients (MiB, largest VmRSS sampled every 0.1 s) | $(cell rss.pd) | — | — | ≤ 64 MiB | $rss_verdict |"
  echo "| 4a | agent RSS once up, before serving anything / peak over its life (VmHWM) (MiB) | $(kib_to_mib "$RSS_IDLE_KIB") / $(cell hwm.pd) | — | — | info | — |"
  echo
  echo "All runs (MiB/s, s, or KiB for RSS; run order):"
  echo
  echo "| key | values |"
  echo "|---|---|"
  for k in thr1.pd thr1.ref thrN.pd thrN.ref start.pd start.ref rss.pd hwm.pd; do
    [[ -n ${VALS[$k]:-} ]] && echo "| $k |${VALS[$k]} |"
  done
  echo
} | tee "$RESULTS"
log "results written to $RESULTS; logs in $LOGS/agent-*"
