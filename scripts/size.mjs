// Prints the package's runtime payload: the .wasm after wasm-opt and the JS glue, raw, gzip -9
// and brotli (quality 11). The budget is 120 KB gzip for wasm + glue together (issue 13; issue 3's
// 80 KB was accepted as blocked): `make test` fails when the payload is over it.
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

import { GLUE_FILES, WASM_FILE, payload } from "./payload.mjs";

const pkg = new URL("../pkg/", import.meta.url);
const { wasm: wasmBytes, glue } = payload(pkg.pathname);
const files = { [WASM_FILE]: wasmBytes, [`JS glue (${GLUE_FILES.join(", ")})`]: glue };
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const rows = [];
let total = { raw: 0, gz: 0, br: 0 };
for (const [label, bytes] of Object.entries(files)) {
  const row = {
    raw: bytes.length,
    gz: gzipSync(bytes, { level: 9 }).length,
    br: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
  rows.push([label, row]);
  for (const k of Object.keys(total)) total[k] += row[k];
}
rows.push(["total runtime payload", total]);
const width = Math.max(...rows.map(([l]) => l.length));
console.log(`${"file".padEnd(width)}  ${"raw".padStart(9)}  ${"gzip -9".padStart(9)}  ${"brotli".padStart(9)}`);
for (const [label, r] of rows) {
  console.log(`${label.padEnd(width)}  ${kb(r.raw).padStart(9)}  ${kb(r.gz).padStart(9)}  ${kb(r.br).padStart(9)}`);
}
const BUDGET = 120 * 1024;
console.log(`budget: 120 KB gzip -> ${total.gz <= BUDGET ? "within" : "OVER"} (${kb(total.gz)})`);
if (total.gz > BUDGET) process.exitCode = 1;

// The full module (Python's `re` and its character names for the Airflow modes), which Node,
// Deno, Bun and workerd load, and a browser may instead of the payload's: no budget applies.
const full = readFileSync(new URL("airflow_trigger_full_bg.wasm", pkg));
console.log(`full module (airflow_trigger_full_bg.wasm): ${kb(full.length)}, ${kb(gzipSync(full, { level: 9 }).length)} gzip; with the glue ${kb(gzipSync(full, { level: 9 }).length + total.gz - rows[0][1].gz)} gzip`);

// The gateway worker as wrangler would upload it: its JS bundled and minified (workerd
// condition), plus the full .wasm module.
const { mkdtempSync, rmSync } = await import("node:fs");
const { tmpdir } = await import("node:os");
const { join } = await import("node:path");
const { GATEWAY, bundleWorker } = await import("./worker-bundle.mjs");
const out = mkdtempSync(join(tmpdir(), "gateway-size-"));
try {
  const js = readFileSync(bundleWorker({ ...GATEWAY, outDir: out, minify: true }));
  const gz = (b) => gzipSync(b, { level: 9 }).length;
  console.log(`gateway worker: JS bundle ${kb(js.length)} (${kb(gz(js))} gzip) + the full .wasm module ${kb(full.length)} (${kb(gz(full))} gzip) = ${kb(gz(js) + gz(full))} gzip`);
} finally {
  rmSync(out, { recursive: true, force: true });
}
