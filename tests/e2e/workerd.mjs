// A bundled worker (scripts/worker-bundle.mjs) in workerd through miniflare. Callers dispose() it.
export async function startWorker(dir, bindings, extra = {}) {
  const { Miniflare } = await import("miniflare");
  return new Miniflare({
    modules: true,
    scriptPath: `${dir}/worker.js`,
    modulesRoot: dir,
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2025-01-01",
    bindings,
    ...extra,
  });
}
