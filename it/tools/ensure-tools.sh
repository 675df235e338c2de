#!/bin/sh
# Makes sure the system tools the end-to-end tests drive are installed: a real OCI registry, a container
# runtime, skopeo, BitTorrent clients and a tracker, the ipfs_cid oracle and Node.js. On Debian/Ubuntu it installs what is missing (as root, or through passwordless sudo);
# anywhere else it stops with the exact command to run. It never lets the tests skip silently.
set -eu

missing=""
need() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/bin/$1" ] || missing="$missing $2"; }
need docker-registry docker-registry
need skopeo skopeo
need podman podman
need runc runc
need busybox busybox-static
# IPFS tests: the CID oracle, and Node.js for the npm-installed peers (js-ipfs, Helia) in it/tools.
need ipfs_cid ipfs-cid
need node nodejs
need npm npm
# BitTorrent peers for the interop tests
need aria2c aria2
need mktorrent mktorrent
need opentracker opentracker
need qbittorrent-nox qbittorrent-nox
need transmission-show transmission-cli

[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "pierdat end-to-end tests need:$missing (Debian package names). Install them, then run the tests again." >&2
  exit 1
fi
if [ "$(id -u)" = 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo -n"
else
  echo "pierdat end-to-end tests need:$missing. Run: sudo apt-get update && sudo $cmd" >&2
  exit 1
fi
echo "Installing test tools:$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo $cmd >/dev/null
