#!/usr/bin/env bash
# Checks the unit files with `systemd-analyze verify`. The units name their production paths
# (/opt/becak-pintar, /usr/local/bin/temporal-server, ...); for the check, copies are made in a
# temporary folder with those paths pointed at this checkout and at executables that exist here
# (the Temporal server from the build cache when present, else /bin/true), so that verify checks
# the directives, specifiers and commands rather than this machine's layout.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
command -v systemd-analyze >/dev/null || { echo "systemd-analyze not found: units not verified"; exit 0; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
server=$(ls "${TEMPORAL_SERVER_CACHE_DIR:-$HOME/.cache/becak-pintar}"/temporal-server-*/bin/temporal-server 2>/dev/null | tail -n 1 || true)
[ -n "$server" ] || server=/bin/true
for f in "$here"/*.service "$here"/*.target; do
  sed -e "s#/opt/becak-pintar#$root#g" \
      -e "s#/usr/local/bin/temporal-server#$server#g" \
      -e "s#/usr/local/bin/temporal-ui-server#/bin/true#g" \
      -e "s#/usr/bin/node#$(command -v node)#g" "$f" > "$tmp/$(basename "$f")"
done
cd "$tmp"
# Instances as deployed (templates are verified through an instance name).
units=(becak-api@3000.service becak-worker@1.service temporal-server@history-1.service temporal-ui.service becak-pintar.target)
for u in "${units[@]}"; do
  [ -f "$u" ] || cp "$(echo "$u" | sed -E 's/@[^.]+\./@./')" "$u"
done
out=$(SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no "${units[@]/#/$tmp/}" 2>&1 || true)
# Units this check cannot see (postgresql.service, the other instances) are not errors of ours.
problems=$(printf '%s\n' "$out" | grep -v -E 'postgresql\.service|^$' || true)
if [ -n "$problems" ]; then printf '%s\n' "$problems"; echo "systemd units: problems found"; exit 1; fi
echo "systemd units: ${#units[@]} verified with $(systemd-analyze --version | head -n 1)"
