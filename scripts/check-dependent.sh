#!/usr/bin/env bash
# A Rust wasm app depending on the crate (tests/dependent: its own #[global_allocator], another
# wasm-bindgen 0.2.x, the gloo-net client) must build for wasm32, and its module must export none
# of the npm package's exports (pkg/, from `make build`): only its own and wasm-bindgen's internals.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f pkg/airflow_trigger_bg.wasm ] || { echo "check-dependent: build pkg/ first (make build)" >&2; exit 1; }
(cd tests/dependent && cargo build --quiet --target wasm32-unknown-unknown)
node -e '
  const fs = require("fs");
  const exportsOf = (f) => WebAssembly.Module.exports(new WebAssembly.Module(fs.readFileSync(f))).map((e) => e.name);
  const app = exportsOf("tests/dependent/target/wasm32-unknown-unknown/debug/dependent_app.wasm");
  const ours = exportsOf("pkg/airflow_trigger_bg.wasm").filter((n) => n !== "memory" && !n.startsWith("__"));
  // The npm build exports a handful of names (one per class and call family: clienthandle_call,
  // callhandle_next, jsonOp, validatorhandle_validate, ...); a build without `js` exports none.
  if (!ours.includes("jsonOp") || !ours.includes("clienthandle_call")) throw new Error(`pkg/ exports ${ours.join(", ")}: is it the npm build?`);
  const leaked = app.filter((n) => ours.some((o) => n === o || n === `__wbindgen_describe_${o}`));
  if (!app.includes("appTrigger")) throw new Error("the app lost its own export appTrigger");
  if (leaked.length) throw new Error(`the app exports the crate'"'"'s JS exports: ${leaked.join(", ")}`);
  const version = /name = "wasm-bindgen"\nversion = "([^"]+)"/.exec(fs.readFileSync("tests/dependent/Cargo.lock", "utf8"))[1];
  const ownVersion = /name = "wasm-bindgen"\nversion = "([^"]+)"/.exec(fs.readFileSync("Cargo.lock", "utf8"))[1];
  if (version === ownVersion) throw new Error(`the app should use another wasm-bindgen than ${ownVersion}`);
  console.log(`dependent app: wasm-bindgen ${version} (package: ${ownVersion}), its own allocator, ${app.length} exports, none of the package'"'"'s ${ours.length}`);
'
