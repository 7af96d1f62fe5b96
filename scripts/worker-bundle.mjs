// Bundles a module worker the way wrangler does for workerd: esbuild with the `workerd` condition,
// the package's .wasm kept as a separate module next to the bundle. Used by `make size` and the
// workerd tests.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../", import.meta.url).pathname;

/** The gateway, resolving `airflow-trigger` to this project's built package. */
export const GATEWAY = { entry: "gateway/worker.js", cwd: root, pkg: join(root, "pkg"), alias: "./pkg/workerd.js" };

/**
 * Writes `outDir/worker.js` and `outDir/airflow_trigger_full_bg.wasm` (workerd.js imports the full module). `pkg` is the package folder the
 * .wasm comes from; `alias` (relative to `cwd`) replaces the `airflow-trigger` import when set.
 */
export function bundleWorker({ entry, cwd, pkg, alias, outDir, minify = false }) {
  mkdirSync(outDir, { recursive: true });
  execFileSync(join(root, "node_modules/.bin/esbuild"), [
    entry, "--bundle", "--format=esm", "--conditions=workerd,worker", "--external:*.wasm", "--log-level=warning",
    ...(minify ? ["--minify"] : []), ...(alias ? [`--alias:airflow-trigger=${alias}`] : []), `--outfile=${join(outDir, "worker.js")}`,
  ], { cwd });
  copyFileSync(join(pkg, "airflow_trigger_full_bg.wasm"), join(outDir, "airflow_trigger_full_bg.wasm"));
  return join(outDir, "worker.js");
}
