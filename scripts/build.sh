#!/usr/bin/env bash
# Builds the npm package into pkg/: cargo (wasm32, release) -> wasm-bindgen (--target web) ->
# wasm-opt -Oz (npm binaryen, never Debian's) -> the hand-written JS entries from js/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh

# (Branch `measure`: FEATURES overrides the feature list, for scripts/bench-boundary.mjs.)
# Two modules from one source, with the same exports: the payload's, built with the `js` feature
# (the exports) and without the default features (python-re does not fit the payload's budget:
# Cargo.toml says why); and the full one, with python-re (Python's `re` and its character names
# in the Airflow modes), which Node, Deno, Bun and workerd load, and browsers may. `--locked`:
# wasm-bindgen is Cargo.lock's, the version of the CLI that scripts/install-tools.sh installed.
cli=$(wasm-bindgen --version | awk '{print $2}')
lib=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ "$cli" = "$lib" ] || { echo "build: wasm-bindgen CLI $cli, but Cargo.lock has $lib" >&2; exit 1; }
rm -rf pkg && mkdir -p pkg
module() { # features, out-dir (the same out-name: the module's imports are named after it)
  cargo rustc --quiet --locked --lib --crate-type cdylib --release --target wasm32-unknown-unknown \
    --no-default-features --features "$1"
  wasm-bindgen --target web --weak-refs --out-dir "$2" --out-name airflow_trigger \
    target/wasm32-unknown-unknown/release/airflow_trigger.wasm
  # --flatten --rereloop before -Oz: restructured control flow compresses better (0.3 KB gzip, measured).
  node_modules/.bin/wasm-opt --flatten --rereloop -Oz -Oz --strip-debug --strip-producers \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-reference-types --enable-multivalue --enable-mutable-globals \
    "$2/airflow_trigger_bg.wasm" -o "$2/airflow_trigger_bg.wasm"
}
module "${FEATURES:-js,python-re}" pkg/full
module "${FEATURES:-js}" pkg
# One glue serves both modules: it must be byte for byte the same.
cmp -s pkg/airflow_trigger.js pkg/full/airflow_trigger.js \
  || { echo "build: the full module's glue differs from the payload's" >&2; exit 1; }
mv pkg/full/airflow_trigger_bg.wasm pkg/airflow_trigger_full_bg.wasm
rm -rf pkg/full
# init() and initSync() take the bare input as well as `{ module_or_path }` (typed so in api.d.ts):
# wasm-bindgen's warning that the bare form is deprecated would only be noise (and payload).
grep -c "console.warn('using deprecated parameters" pkg/airflow_trigger.js | grep -qx 2 \
  || { echo "build: wasm-bindgen's glue changed (deprecated-parameter warnings)" >&2; exit 1; }
sed -i "s/console.warn('using deprecated parameters[^']*')//" pkg/airflow_trigger.js
# Its warning when a server sends .wasm without application/wasm, in fewer words (payload).
grep -c 'failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:' \
  pkg/airflow_trigger.js | grep -qx 1 || { echo "build: wasm-bindgen's glue changed (MIME type warning)" >&2; exit 1; }
sed -i 's/`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application\/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:/airflow-trigger: serve .wasm as application\/wasm (slower start):/' pkg/airflow_trigger.js
# wasm-bindgen's types of the glue: nothing public imports them (api.d.ts has its own), and they
# name DOM types that a Node project without lib "dom" cannot compile.
rm pkg/airflow_trigger.d.ts
cp js/*.js js/*.d.ts pkg/
# The <airflow-trigger> element (browsers): the same files as www/, importing the package itself.
for f in form markdown; do cp "www/$f.js" "pkg/$f.js"; done
sed 's|"./pkg/|"./|' www/airflow-trigger.js > pkg/element.js
sed 's|"./pkg/|"./|' www/validator.js > pkg/validator.js
# exact.js: a second instance (its own glue and api.js) that loads the full module, for the
# element and the page when the default module refuses a DAG's Params. Minified like index.js;
# AirflowError comes from index.js, one class.
sed 's|from "./error.js"|from "./index.js"|' pkg/api.js > pkg/exact-api.js
grep -q 'from "./index.js"' pkg/exact-api.js || { echo "build: api.js no longer imports error.js" >&2; exit 1; }
node_modules/.bin/esbuild pkg/exact.js --bundle --minify --sourcemap --format=esm --log-level=warning \
  --external:./index.js --outfile=pkg/exact.bundle.js
mv pkg/exact.bundle.js pkg/exact.js
sed -i 's|sourceMappingURL=exact.bundle.js.map|sourceMappingURL=exact.js.map|' pkg/exact.js
mv pkg/exact.bundle.js.map pkg/exact.js.map
rm pkg/exact-api.js
# import "airflow-trigger" in Node, Deno and Bun: one file (loading the graph of five modules took
# ~3 ms more of the cold start).
node_modules/.bin/esbuild pkg/node.js --bundle --format=esm --platform=node --log-level=warning \
  --outfile=pkg/node.bundle.js
mv pkg/node.bundle.js pkg/node.js
# require("airflow-trigger"): the same code bundled as CommonJS.
cp js/require.mjs pkg/
node_modules/.bin/esbuild pkg/require.mjs --bundle --format=cjs --platform=node --log-level=warning \
  --log-override:empty-import-meta=silent --outfile=pkg/node.cjs
rm pkg/require.mjs
cp js/node.d.ts pkg/node.d.cts
# What a browser loads (the payload's budget) is one module, index.js: the glue, api.js and
# error.js bundled and minified (one file lets esbuild shorten the names the four shared), with
# a source map holding the readable source (browsers' devtools and `node --enable-source-maps`
# show it). The rest (the Node, Deno and Bun bundle, CommonJS, workerd, the element) stays
# readable: a stack trace there points at a line a person can read. workerd.js and element.js
# import index.js, so AirflowError is one class.
node_modules/.bin/esbuild pkg/index.js --bundle --minify --sourcemap --format=esm --log-level=warning \
  --outfile=pkg/index.bundle.js
mv pkg/index.bundle.js pkg/index.js
sed -i 's|sourceMappingURL=index.bundle.js.map|sourceMappingURL=index.js.map|' pkg/index.js
mv pkg/index.bundle.js.map pkg/index.js.map
rm pkg/api.js pkg/error.js pkg/airflow_trigger.js
node -e '
  const root = require("./package.json");
  const cargo = (key) => require("fs").readFileSync("Cargo.toml", "utf8").match(new RegExp(`^${key} = "(.*)"`, "m"))[1];
  // Node, Deno, Bun and workerd: the entries that load the full module on import.
  const serverSide = {
    workerd: { types: "./workerd.d.ts", default: "./workerd.js" },
    deno: { types: "./node.d.ts", default: "./node.js" },
    bun: { types: "./node.d.ts", default: "./node.js" },
    node: {
      import: { types: "./node.d.ts", default: "./node.js" },
      require: { types: "./node.d.cts", default: "./node.cjs" }
    }
  };
  const pkg = {
    name: "airflow-trigger",
    version: require("fs").readFileSync("Cargo.toml", "utf8").match(/^version = "(.*)"/m)[1],
    description: "Trigger Apache Airflow DAG runs safely from browsers, workers, Node, Deno and Bun (Rust + WebAssembly)",
    license: "Apache-2.0",
    repository: { type: "git", url: `git+${cargo("repository")}.git` },
    homepage: `${cargo("repository")}#readme`,
    bugs: { url: `${cargo("repository")}/issues` },
    author: "airflow-trigger contributors",
    type: "module",
    sideEffects: ["./node.js", "./node.cjs", "./workerd.js", "./element.js"],
    exports: {
      ".": { ...serverSide, types: "./index.d.ts", default: "./index.js" },
      // Browsers and bundlers: the full module instead of the default one. Elsewhere the
      // default entries load the full module already.
      "./full": { ...serverSide, types: "./full.d.ts", default: "./full.js" },
      "./element": { types: "./element.d.ts", default: "./element.js" },
      "./airflow_trigger_bg.wasm": "./airflow_trigger_bg.wasm",
      "./airflow_trigger_full_bg.wasm": "./airflow_trigger_full_bg.wasm",
      "./package.json": "./package.json"
    },
    types: "./index.d.ts",
    main: "./node.cjs",
    module: "./index.js",
    files: ["*.js", "*.js.map", "*.cjs", "*.d.ts", "*.d.cts", "airflow_trigger_bg.wasm", "airflow_trigger_full_bg.wasm"],
    keywords: ["airflow", "apache-airflow", "dag", "trigger", "workflow", "json-schema", "wasm", "cloudflare-workers"],
    engines: { node: ">=20" }
  };
  require("fs").writeFileSync("pkg/package.json", JSON.stringify(pkg, null, 2) + "\n");
'
# npm's README and license: the JS user's README (the crate has its own, README.crate.md).
cp README.md LICENSE pkg/
rm -f pkg/.gitignore pkg/airflow_trigger_bg.wasm.d.ts
echo "built pkg/ ($(wc -c < pkg/airflow_trigger_bg.wasm) bytes of wasm; the full module $(wc -c < pkg/airflow_trigger_full_bg.wasm))" >&2
