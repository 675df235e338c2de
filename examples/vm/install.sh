#!/bin/sh
# Sets up pierdat on a VM or host (run as root): the agent jar, the pierdat launcher, one artifact and
# the systemd service. Usage:
#   install.sh pierdat-agent.jar SHA256 URL DEST
# e.g. install.sh ./pierdat-agent.jar 9f86d0...  https://example.org/model.bin /srv/data/model.bin
set -eu
if [ "$#" -ne 4 ]; then
  echo "usage: $0 AGENT_JAR SHA256 URL DEST" >&2
  exit 2
fi
jar=$1 sha256=$2 url=$3 dest=$4
here=$(dirname "$0")

install -D -m 0644 "$jar" /opt/pierdat/pierdat-agent.jar
java -jar /opt/pierdat/pierdat-agent.jar install-launcher /usr/local/bin
# Downloads are kept in root's cache (~/.cache/pierdat), so a second artifact with the same bytes is free.
pierdat get --sha256 "$sha256" "$url" "$dest"

id pierdat >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin pierdat
install -m 0644 "$here/pierdat.service" /etc/systemd/system/pierdat.service
echo "Adjust ReadOnlyPaths= in /etc/systemd/system/pierdat.service to hold $(dirname "$dest"), then:"
echo "  systemctl daemon-reload && systemctl enable --now pierdat && pierdat status"
