#!/usr/bin/env bash
# A script extension: reports what the app's lockfile pins and leaves a small report in the droplet's app folder.
set -eu
lock="$BPX_BUILD_DIR/package-lock.json"
if [ -f "$lock" ]; then
  pkgs=$(grep -o '"node_modules/[^"]*"' "$lock" | sed 's/"node_modules\/\(.*\)"/\1/' | sort | tr '\n' ' ')
  echo "package-lock.json pins: ${pkgs:-nothing}"
else
  pkgs=""
  echo "no package-lock.json: dependencies are not pinned"
fi
mkdir -p "$BPX_BUILD_DIR/.bpx"
printf 'phase=%s:%s\nstack=%s\npackages=%s\n' "$BPX_PHASE" "$BPX_WHEN" "${CF_STACK:-}" "$pkgs" > "$BPX_BUILD_DIR/.bpx/app-report.txt"
echo "wrote .bpx/app-report.txt"
