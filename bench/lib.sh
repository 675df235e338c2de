# Helpers for bench/run.sh and bench/agent.sh (sourced, not run). Progress goes to stderr; stdout is kept for the results table.

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- tools

# ensure_tools [COMMAND:PACKAGE...]: installs (as root with apt-get) or names the exact command for whatever
# is missing of nginx (unless NEEDS_NGINX=0), curl, GNU time, coreutils, a JDK, and the extra commands given.
ensure_tools() {
  local missing=() extra
  for extra in "$@"; do
    command -v "${extra%%:*}" >/dev/null 2>&1 || missing+=("${extra#*:}")
  done
  # NEEDS_NGINX=0: a benchmark without nginx (bench/ipfs.sh)
  [[ ${NEEDS_NGINX:-1} == 0 ]] || command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [[ -x /usr/bin/time ]] && /usr/bin/time -f %M true >/dev/null 2>&1 || missing+=(time)
  for tool in sha256sum head sort stat df nproc; do
    command -v "$tool" >/dev/null 2>&1 || { missing+=(coreutils); break; }
  done
  if ((${#missing[@]})); then
    local cmd="apt-get install -y --no-install-recommends ${missing[*]}"
    if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1 && [[ ${BENCH_NO_INSTALL:-0} != 1 ]]; then
      log "installing missing tools: ${missing[*]}"
      apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive $cmd >&2 || die "could not install; run: $cmd"
    else
      die "missing tools: ${missing[*]}. Install them with: sudo $cmd"
    fi
  fi
  command -v javac >/dev/null 2>&1 || [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/javac ]] \
    || die "a JDK 17+ is needed (javac not found). Install one with: sudo apt-get install -y openjdk-17-jdk-headless"
  NGINX_BIN=$(command -v nginx || echo /usr/sbin/nginx)
}

# ---------------------------------------------------------------- numbers

# median of the arguments (mean of the two middle values for an even count); empty if none
median() {
  (($#)) || { echo ""; return; }
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {
    if (NR % 2) printf "%.2f\n", a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2 }'
}

# ratio a/b with two decimals; empty when either is missing
ratio() {
  [[ -n ${1:-} && -n ${2:-} ]] || { echo ""; return; }
  awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f\n", a/b }'
}

# PASS/FAIL for "ratio <= target"; "—" without a ratio
verdict() {
  [[ -n ${1:-} ]] || { echo "—"; return; }
  awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t) ? "PASS" : "FAIL" }'
}

kib_to_mib() { [[ -n ${1:-} ]] && awk -v k="$1" 'BEGIN { printf "%.0f\n", k/1024 }' || echo ""; }

# ---------------------------------------------------------------- timing

# timed LOG CMD...: runs CMD with stdout+stderr into LOG under GNU time; sets T_SEC (wall seconds) and
# T_RSS_KIB (peak RSS of the largest process in the tree: the JVM for Maven). Returns CMD's exit code.
# Every run starts with nothing left to write back (sync, untimed): otherwise a run right after one that
# wrote a GiB (an image tar, a download) pays for that GiB's writeback, whichever side wrote it.
timed() {
  local logfile=$1; shift
  local tf; tf=$(mktemp "$WORK/time.XXXXXX")
  local rc=0
  sync
  /usr/bin/time -f '%e %M' -o "$tf" "$@" >"$logfile" 2>&1 || rc=$?
  # GNU time puts "Command exited with non-zero status N" before the format line: read the last line
  read -r T_SEC T_RSS_KIB < <(tail -n 1 "$tf")
  rm -f "$tf"
  return "$rc"
}

# first error line of a Maven log, for the report
first_error() {
  local line
  line=$(grep -m1 -E '^\[ERROR\] .+' "$1" | sed -e 's/^\[ERROR\] //' -e 's/ -> \[Help 1\]$//' | cut -c1-160) || true
  [[ -n $line ]] || line=$(grep -v '^\s*$' "$1" | tail -n 1 | cut -c1-160) || true
  printf '%s' "${line//|/\\|}"   # keep Markdown table cells intact
}

# ---------------------------------------------------------------- data

# make_blob DIR SIZE_MIB: DIR/blob.bin of SIZE_MIB incompressible bytes, reused when already complete.
# Prints its sha256. Written to a temp name and renamed, so an interrupted run never leaves a short file.
make_blob() {
  local dir=$1 mib=$2 file=$1/blob.bin sums=$WORK/sums/$(basename "$1").sha256
  mkdir -p "$dir" "$WORK/sums"
  local want=$((mib * 1048576))
  if [[ -f $file && -f $sums && $(stat -c %s "$file") -eq $want && $sums -nt $file ]]; then
    cut -d' ' -f1 "$sums"; return
  fi
  log "generating $mib MiB of random data in $file"
  rm -f "$file" "$sums"
  head -c "$want" /dev/urandom >"$file.tmp"
  mv "$file.tmp" "$file"
  sha256sum "$file" | cut -d' ' -f1 >"$sums.tmp" && mv "$sums.tmp" "$sums"
  cut -d' ' -f1 "$sums"
}

# ---------------------------------------------------------------- nginx

# free_port: a port on 127.0.0.1 where nothing listens right now (random in 20000-59999)
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

NGINX_PID=""

# start_nginx ROOT: serves ROOT on 127.0.0.1:<free port> (sets NGINX_PORT), foreground process in the
# background so it can be stopped by PID. Retries another port if the chosen one is taken.
start_nginx() {
  local root=$1 prefix=$WORK/nginx attempt port
  mkdir -p "$prefix/logs" "$prefix/tmp"
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    port=$(free_port)
    local user_line=""
    # As root nginx would drop its workers to "nobody", who may not be able to read the work dir.
    [[ $EUID -eq 0 ]] && user_line="user $(id -un) $(id -gn);"
    sed -e "s|@PREFIX@|$prefix|g" -e "s|@ROOT@|$root|g" -e "s|@PORT@|$port|g" -e "s|@USER_LINE@|$user_line|g" \
      "$BENCH_DIR/nginx.conf.in" >"$prefix/nginx.conf"
    "$NGINX_BIN" -p "$prefix/" -c "$prefix/nginx.conf" -e "$prefix/logs/error.log" \
      >"$prefix/logs/stdout.log" 2>&1 &
    NGINX_PID=$!
    local i
    for i in $(seq 1 50); do
      if ! kill -0 "$NGINX_PID" 2>/dev/null; then break; fi
      if curl -sf -o /dev/null "http://127.0.0.1:$port/smoke/blob.bin"; then
        NGINX_PORT=$port
        log "nginx $("$NGINX_BIN" -v 2>&1 | sed 's/.*\///') serving $root on 127.0.0.1:$port (pid $NGINX_PID)"
        return 0
      fi
      sleep 0.1
    done
    stop_nginx
    log "nginx did not come up on port $port (attempt $attempt): $(tail -n 1 "$prefix/logs/error.log" 2>/dev/null)"
  done
  die "could not start nginx; see $prefix/logs/error.log"
}

stop_nginx() {
  if [[ -n $NGINX_PID ]] && kill -0 "$NGINX_PID" 2>/dev/null; then
    kill -TERM "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
  fi
  NGINX_PID=""
}

# ---------------------------------------------------------------- Maven

# setup_maven: PIERDAT_VERSION, and the Maven command lines every run uses: MVN (may go online, for
# preparation) and MVN_HERMETIC (timed runs, no network), plus NETWORK_NOTE for the report.
# Needs ROOT, WORK, M2_HEAD, M2_TAIL.
setup_maven() {
  PIERDAT_VERSION=$(sed -n '/<artifactId>pierdat-parent<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q}' "$ROOT/pom.xml")
  [[ -n $PIERDAT_VERSION ]] || die "could not read the project version from $ROOT/pom.xml"

  # Every Maven run: the project's wrapper, a private local repository (the staged plugin goes there; the
  # user's repository is only read, as a tail), Jib's update check off.
  MVN=("$ROOT/mvnw" -B -ntp -Dmaven.repo.local="$M2_HEAD" -Djib.disableUpdateChecks=true -Djib.console=plain)
  [[ -d $M2_TAIL ]] && MVN+=(-Dmaven.repo.local.tail="$M2_TAIL")

  # Timed runs cannot use -o: pierdat reads offline mode as "fetch from the cache only". Both sides instead
  # run with settings whose only mirror is an empty local directory, so no run touches the network. The
  # mirror is called "central" because the local repository only offers an artifact to the repository id it
  # was downloaded from (Central, for a default setup).
  cat >"$WORK/settings-hermetic.xml" <<EOF
<settings>
  <mirrors>
    <mirror><id>central</id><mirrorOf>*</mirrorOf><url>file://$WORK/no-remote</url></mirror>
  </mirrors>
</settings>
EOF
  MVN_HERMETIC=("${MVN[@]}" -s "$WORK/settings-hermetic.xml" -nsu)
  NETWORK_NOTE="Maven runs: no network (a settings mirror pointing at an empty local directory)."
}

# Fallback when the user's settings download through another repository id (e.g. a company mirror):
# timed runs then use those settings with -nsu, which touch the network only for artifacts not yet local.
use_user_settings_for_timed_runs() {
  log "hermetic settings cannot see the resolved artifacts (other repository id?): timed runs use your settings with -nsu"
  MVN_HERMETIC=("${MVN[@]}" -nsu)
  NETWORK_NOTE="Maven runs: your settings with -nsu (all artifacts were resolved before timing)."
}

# stage_plugin: builds pierdat-maven-plugin into the bench's own local repository (offline first, online only
# if something is missing); log in $LOGS/build-plugin.log. Returns non-zero if the build failed.
stage_plugin() {
  log "building pierdat-maven-plugin $PIERDAT_VERSION with ./mvnw into the bench's own local repository"
  MAVEN_OPTS="${BENCH_MAVEN_OPTS:-}" "${MVN[@]}" -o -DskipTests -Dinvoker.skip -f "$ROOT/pom.xml" -pl pierdat-maven-plugin -am install \
    >"$LOGS/build-plugin.log" 2>&1 && return 0
  MAVEN_OPTS="${BENCH_MAVEN_OPTS:-}" "${MVN[@]}" -DskipTests -Dinvoker.skip -f "$ROOT/pom.xml" -pl pierdat-maven-plugin -am install \
    >"$LOGS/build-plugin.log" 2>&1
}

# fresh_run DIR: empty per-run dir (caches, java.io.tmpdir, XDG cache): what "cold" means for both sides
fresh_run() { rm -rf "$1"; mkdir -p "$1/tmp" "$1/xdg-cache"; }

# maven_env RUNDIR: identical JVM options and environment for both sides (into the array MENV);
# EXTRA_OPTS (set only for the memory check) is appended to MAVEN_OPTS
EXTRA_OPTS=""
maven_env() {
  MENV=(MAVEN_OPTS="${BENCH_MAVEN_OPTS:-} $EXTRA_OPTS -Djava.io.tmpdir=$1/tmp" XDG_CACHE_HOME="$1/xdg-cache"
    XDG_CONFIG_HOME="$WORK/xdg-config")
}

# pierdat_run LABEL RUNDIR SIZEDIR SHA256 MVN-ARRAY-NAME GOALS...: pierdat sample, everything in RUNDIR
pierdat_run() {
  local label=$1 run=$2 sizedir=$3 sha=$4; local -n mvn=$5; shift 5
  maven_env "$run"
  timed "$LOGS/$label.log" env "${MENV[@]}" "${mvn[@]}" \
    -f "$BENCH_DIR/projects/pierdat-sample/pom.xml" -Dpierdat.version="$PIERDAT_VERSION" \
    -Dbench.port="$NGINX_PORT" -Dbench.sizeDir="$sizedir" -Dbench.sha256="$sha" \
    -Dbench.buildDir="$run/target" -Dpierdat.cacheDirectory="$run/cache" \
    -Djib.applicationCache="$run/jib-app" -Djib.baseImageCache="$run/jib-base" "$@"
}

# tar_holds TAR MIB: the image tar exists and is at least as large as the (incompressible) file in it
tar_holds() { [[ -f $1 ]] && (($(stat -c %s "$1") >= $2 * 1048576)); }


# ---------------------------------------------------------------- the agent jar, the agent's JVM

# The modules the it module's Java base image has: what the agent needs (java_base_tar's MODULES).
AGENT_JAVA_MODULES=java.base,java.logging,java.net.http,jdk.httpserver,java.management,java.naming,jdk.unsupported,jdk.crypto.ec,java.xml,jdk.zipfs
# The JVM flags of the image's entrypoint (AgentCommand.DEFAULT_JVM_FLAGS in pierdat-maven-plugin).
AGENT_JVM_FLAGS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xms8m -XX:MaxRAMPercentage=25"

# stage_agent_jar OUT LOG: builds the shaded agent jar (pierdat-runtime, package, tests skipped; offline first,
# online only if something is missing) unless BENCH_SKIP_BUILD=1, and copies it to OUT, so that a rebuild
# during the run does not change what is measured.
stage_agent_jar() {
  local out=$1 logfile=$2 built
  if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    log "building the shaded agent jar (pierdat-runtime, package, tests skipped; log $logfile)"
    "$ROOT/mvnw" -B -ntp -o -f "$ROOT/pom.xml" -pl pierdat-runtime -am package -DskipTests >"$logfile" 2>&1 \
      || "$ROOT/mvnw" -B -ntp -f "$ROOT/pom.xml" -pl pierdat-runtime -am package -DskipTests >"$logfile" 2>&1 \
      || die "the agent jar did not build: $(first_error "$logfile") (log $logfile)"
  fi
  built=$(ls "$ROOT"/pierdat-runtime/target/pierdat-runtime-*-agent.jar 2>/dev/null | head -n 1)
  [[ -f $built ]] || die "no pierdat-runtime/target/pierdat-runtime-*-agent.jar; run without BENCH_SKIP_BUILD=1"
  cp "$built" "$out"
}

# clean_env: CLEAN_ENV, an env command line without the user's PIERDAT_* variables (the agent and the CLI
# refuse unknown ones, and known ones would change what is measured)
clean_env() {
  local v
  CLEAN_ENV=(env)
  for v in $(compgen -e); do [[ $v == PIERDAT_* ]] && CLEAN_ENV+=(-u "$v"); done
  return 0
}

# sample_rss PID OUT: writes the largest VmRSS (KiB) seen every 0.1 s until killed
sample_rss() {
  local pid=$1 out=$2 max=0 rss
  while :; do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    ((rss > max)) && max=$rss && echo "$max" >"$out"
    sleep 0.1
  done
}

# proc_kib PID FIELD: a /proc/PID/status field in KiB (VmRSS, VmHWM), empty once PID is gone
proc_kib() { awk -v f="$2:" '$1 == f {print $2}' "/proc/$1/status" 2>/dev/null || true; }

# ---------------------------------------------------------------- podman, Java base image, process memory

# podman_store DIR: a private podman store in DIR (runc, cgroupfs, file events; overlay, or vfs where overlay
# does not work), used through pm. podman refuses a runroot longer than 50 characters, so that goes to /tmp,
# at a path fixed per store (podman's database remembers it). Sets PODMAN_DIR, PODMAN_RUN, PODMAN_DRIVER.
podman_store() {
  PODMAN_DIR=$1
  PODMAN_RUN=/tmp/pdm-bench-$(printf '%s' "$PODMAN_DIR" | sha256sum | cut -c1-8)
  mkdir -p "$PODMAN_DIR" "$PODMAN_RUN"
  cat >"$PODMAN_DIR/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$PODMAN_DIR/events.log"
EOF
  PODMAN_DRIVER=overlay
  pm info >/dev/null 2>&1 || { PODMAN_DRIVER=vfs; pm info >/dev/null 2>"$PODMAN_DIR/info.log" \
    || die "podman does not work here: $(tail -n 1 "$PODMAN_DIR/info.log")"; }
}

pm() {
  CONTAINERS_CONF=$PODMAN_DIR/containers.conf podman --root "$PODMAN_DIR/root" --runroot "$PODMAN_RUN/run" \
    --tmpdir "$PODMAN_RUN/tmp" --storage-driver "$PODMAN_DRIVER" "$@"
}

# podman_store_cleanup: removes every container and image of the store (an image of a GiB file must not stay)
podman_store_cleanup() {
  [[ -n ${PODMAN_DIR:-} ]] || return 0
  pm rm -a -f -t 0 >/dev/null 2>&1 || true
  pm rmi -a -f >/dev/null 2>&1 || true
  local m
  for m in $(awk '{print $2}' /proc/self/mounts | grep -E "^($PODMAN_DIR|$PODMAN_RUN)(/|$)" | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  rm -rf "$PODMAN_RUN"
}

# java_base_tar OUT MODULES: a Docker-format tar of a small Java base image for Jib's or the plugin's tar://
# base: busybox (static), a jlink runtime of MODULES with its default CDS archive (as JDK images ship one), the
# glibc libraries ldd names, user app (1000). Built with tar alone (no podman) and kept while the JDK and
# MODULES stay the same.
java_base_tar() {
  local out=$1 modules=$2 dir=$1.d root stamp jlink busybox lib diff arch
  stamp="$(java -version 2>&1 | head -n 1) $modules cds"
  [[ -f $out && -f $out.stamp && $(cat "$out.stamp") == "$stamp" ]] && return 0
  jlink=$(command -v jlink || echo "${JAVA_HOME:-/nonexistent}/bin/jlink")
  [[ -x $jlink ]] || die "jlink not found: apt-get install -y openjdk-17-jdk-headless"
  busybox=$(readlink -f "$(command -v busybox)")
  ldd "$busybox" >/dev/null 2>&1 && die "$busybox is linked dynamically; the image needs busybox-static"
  log "building a Java base image (busybox + jlink runtime) once: $out"
  rm -rf "$dir" "$out" "$out.stamp"; root=$dir/rootfs
  mkdir -p "$root"/{bin,dev,etc,home/app,proc,sys,tmp}
  "$jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --output "$root/opt/java" \
    >"$dir/jlink.log" 2>&1 || die "jlink failed: $(tail -n 1 "$dir/jlink.log")"
  "$root/opt/java/bin/java" -Xshare:dump >>"$dir/jlink.log" 2>&1 \
    || die "cannot write the base image's CDS archive: $(tail -n 1 "$dir/jlink.log")"
  cp "$busybox" "$root/bin/busybox"
  for lib in $("$root/bin/busybox" --list); do [[ -e $root/bin/$lib ]] || ln -s busybox "$root/bin/$lib"; done
  for lib in $(find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null \
      | grep -oE '(=> )?/[^ ]+ \(' | sed -e 's/^=> //' -e 's/ ($//' | sort -u); do
    [[ $lib == "$root"* ]] || cp -L --parents "$lib" "$root"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n' >"$root/etc/passwd"
  printf 'root:x:0:\napp:x:1000:\n' >"$root/etc/group"
  chmod 1777 "$root/tmp"
  chown -R 0:0 "$root"; chown 1000:1000 "$root/home/app"
  tar --sort=name --numeric-owner --mtime=@0 -C "$root" -cf "$dir/layer.tar" .
  diff=$(sha256sum "$dir/layer.tar" | cut -d' ' -f1)
  arch=$(dpkg --print-architecture 2>/dev/null || uname -m)
  printf '{"architecture":"%s","os":"linux","config":{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java"],"WorkingDir":"/"},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$arch" "$diff" >"$dir/config.json"
  printf '[{"Config":"config.json","RepoTags":["pierdat-bench/java:base"],"Layers":["layer.tar"]}]' >"$dir/manifest.json"
  tar -C "$dir" -cf "$out.tmp" manifest.json config.json layer.tar
  mv "$out.tmp" "$out"
  rm -rf "$dir"
  echo "$stamp" >"$out.stamp"
}

# tree_rss_kib PID: resident memory (RSS, KiB) of PID and all its descendants and how many processes that is,
# as "KIB COUNT" ("0 0" once PID is gone). ps (procps), since /proc/PID/task/*/children is not on every kernel.
tree_rss_kib() {
  ps -e -o pid=,ppid=,rss= | awk -v root="$1" '
    { parent[$1] = $2; rss[$1] = $3 }
    END {
      total = 0; count = 0
      for (p in rss) {
        q = p
        while (q != "" && q != root && q > 1) q = parent[q]
        if (q == root) { total += rss[p]; count++ }
      }
      print total, count
    }'
}
