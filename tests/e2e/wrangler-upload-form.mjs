// Loaded into wrangler (NODE_OPTIONS=--import) by tests/e2e/gateway-deploy.test.mjs: records each
// part of the upload form wrangler builds — its name, MIME type (which says the module's type:
// application/wasm for a CompiledWasm rule) and size — one JSON line each to $AT_WRANGLER_FORM.
// `deploy --dry-run` builds the form and sends nothing; this only watches it being built (wrangler
// makes each part with the global File).
import { appendFileSync } from "node:fs";

const out = process.env.AT_WRANGLER_FORM;
if (out) {
  const Real = globalThis.File;
  globalThis.File = class File extends Real {
    constructor(bits, name, options) {
      super(bits, name, options);
      appendFileSync(out, `${JSON.stringify({ name: this.name, type: this.type, size: this.size })}\n`);
    }
  };
}
