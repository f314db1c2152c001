#!/bin/sh
# The README's demo: start the local Salesforce emulator, log the real `sf` into it in a throwaway HOME,
# link this plugin and run what an admin would run. Nothing touches your own sf login.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
[ -f lib/commands/ren/app/create.js ] || npm run build

work=$(mktemp -d "${TMPDIR:-/tmp}/ren-demo.XXXXXX")
emulator_pid=""
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# The emulator is test tooling: it runs from its TypeScript source (test/emulator, see its README), not from lib/.
TS_NODE_TRANSPILE_ONLY=true node --loader ts-node/esm --no-warnings test/emulator/cli.ts --port 0 --cert-dir "$work/cert" --json \
  > "$work/emulator.out" 2> "$work/emulator.err" &
emulator_pid=$!
for _ in $(seq 1 100); do
  grep -q '"url"' "$work/emulator.out" 2>/dev/null && break
  sleep 0.1
done
info=$(grep '"url"' "$work/emulator.out" | head -n 1)
[ -n "$info" ] || { echo "The emulator did not start:"; cat "$work/emulator.err"; exit 1; }
url=$(node -e 'const i = JSON.parse(process.argv[1]); console.log(i.url)' "$info")
token=$(node -e 'const i = JSON.parse(process.argv[1]); console.log(i.accessToken)' "$info")
ca=$(node -e 'const i = JSON.parse(process.argv[1]); console.log(i.caCertPath)' "$info")
echo "Salesforce emulator: $url"

# Trust the emulator's certificate in addition to (never instead of) what this machine already trusts.
trusted="$work/trusted-ca.pem"
{ [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ] && cat "$NODE_EXTRA_CA_CERTS"; cat "$ca"; } > "$trusted"

export HOME="$work/home"
mkdir -p "$HOME"
# The demo links this checkout (compiled lib/); oclif's note that it will not transpile a linked ESM plugin is noise here.
export SF_DISABLE_AUTOUPDATE=true SF_AUTOUPDATE_DISABLE=true SF_SKIP_NEW_VERSION_CHECK=true SF_DISABLE_TELEMETRY=true \
  SF_DISABLE_LOG_FILE=true SF_USE_GENERIC_UNIX_KEYCHAIN=true SF_HIDE_RELEASE_NOTES=true NODE_EXTRA_CA_CERTS="$trusted" \
  OCLIF_DISABLE_LINKED_ESM_WARNING=true
sf=node_modules/.bin/sf

run() {
  printf '\n$ %s\n' "$*"
  "$@"
}

SF_ACCESS_TOKEN="$token" run $sf org login access-token --instance-url "$url" --alias demo --set-default --no-prompt
run $sf plugins link "$here" --no-install

section() {
  printf '\n\033[1m== %s ==\033[0m\n' "$1"
}
# The org as it was before the demo touched it (control endpoint of the emulator, not of Salesforce).
reset_org() {
  node -e '
    const [url, ca] = process.argv.slice(1);
    const https = require("node:https");
    const req = https.request(url + "/__emulator/reset", { method: "POST", ca: require("node:fs").readFileSync(ca) }, (res) => res.resume());
    req.end("{}");' "$url" "$ca"
}
# A hand-off file as one could show it on screen: the secret masked.
show_masked() {
  ls -l "$1"
  node -e 'const f = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")); f.consumerSecret = "***"; console.log(JSON.stringify(f, null, 2))' "$1"
}

section "Connect the org to Ren in one command"
run $sf ren onboard --target-org demo --profile Sales --output-file "$work/ren.json" --allow-secret-access
echo
echo "The hand-off file is readable by you only; the secret is shown masked here:"
show_masked "$work/ren.json"
echo
echo "Running it again changes nothing:"
run $sf ren onboard --target-org demo --profile Sales --output-file "$work/ren.json" --allow-secret-access

section "The same, step by step (on a fresh org)"
reset_org
run $sf ren app create --target-org demo
run $sf ren app preauthorize --target-org demo --profile Sales --permission-set Ren_Users
run $sf ren connect --target-org demo --output-file "$work/ren-step.json" --allow-secret-access
show_masked "$work/ren-step.json"
echo
echo "A bad value is refused before anything is sent:"
run $sf ren app create --target-org demo --callback-url http://app.rensystems.com/cb || true
echo
echo "What a script sees:"
run $sf ren app create --target-org demo --json
section "Is the org ready for Ren? (reads only; probes Salesforce's OAuth endpoint)"
run $sf ren app status --target-org demo

section "The readiness report a consultant hands the client (reads only)"
run $sf ren report --target-org demo || true
run $sf ren report --target-org demo --redact --output-file "$work/readiness.html" || true
echo "One self-contained page (no script, nothing from the network), mode 0600:"
ls -l "$work/readiness.html"
