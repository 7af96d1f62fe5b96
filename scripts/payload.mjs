// The package's runtime payload, as `make size`, `make bench` and `make bench-builds` measure it
// (issue #3's budget): the .wasm after wasm-opt, and the JS glue a browser or bundler loads.
import { readFileSync } from "node:fs";
import { join } from "node:path";

export const WASM_FILE = "airflow_trigger_bg.wasm";
// index.js is the glue (wasm-bindgen's), api.js and error.js bundled into one module (scripts/build.sh).
export const GLUE_FILES = ["index.js"];

/** The payload of the package built in `pkgDir`: `{ wasm, glue }` as bytes. */
export function payload(pkgDir) {
  return {
    wasm: readFileSync(join(pkgDir, WASM_FILE)),
    glue: Buffer.concat(GLUE_FILES.map((f) => readFileSync(join(pkgDir, f)))),
  };
}
