// The page's client when it goes through the airflow-trigger gateway (gateway/worker.js) instead
// of Airflow itself: the same methods the page uses, over the gateway's endpoints.
import { AirflowError } from "./pkg/index.js";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const FINAL = new Set(["success", "failed"]);

export class GatewayClient {
  #url;
  #token;

  constructor({ baseUrl, token }) {
    this.#url = String(baseUrl).replace(/\/+$/, "");
    this.#token = token;
  }

  async #call(path, init = {}) {
    let res;
    try {
      res = await fetch(`${this.#url}${path}`, {
        ...init,
        headers: { Accept: "application/json", ...(this.#token ? { Authorization: `Bearer ${this.#token}` } : {}), ...init.headers },
      });
    } catch (e) {
      throw new AirflowError("NETWORK", `Could not reach the gateway at ${this.#url} (${e.message}). In a browser, a CORS refusal looks exactly like this: the gateway's ALLOWED_ORIGINS must list this page's origin.`);
    }
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const e = body.error ?? {};
      const codes = { 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 409: "CONFLICT", 422: "INVALID_CONF", 504: "TIMEOUT" };
      throw new AirflowError(codes[res.status] ?? (res.status >= 500 ? "SERVER" : "BAD_REQUEST"), e.message ?? `The gateway answered ${res.status}`, { status: res.status, errors: e.errors });
    }
    return body;
  }

  async version() {
    return { version: "via the gateway", apiVersion: null };
  }

  async listDags() {
    return this.#call("/dags");
  }

  async getDag(dagId) {
    return { dagId, isPaused: false };
  }

  /** The formats the gateway validates with (its Airflow's own), as its last /params said. */
  formats = undefined;

  async getParams(dagId) {
    const { params, formats } = await this.#call(`/dags/${encodeURIComponent(dagId)}/params`);
    this.formats = formats;
    return params;
  }

  async listRuns(dagId, { limit = 10 } = {}) {
    return this.#call(`/dags/${encodeURIComponent(dagId)}/runs?limit=${limit}`);
  }

  async trigger(dagId, { conf, dagRunId, note } = {}) {
    const body = JSON.stringify({ conf, ...(note ? { note } : {}) });
    const { run } = await this.#call(`/dags/${encodeURIComponent(dagId)}/trigger`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": dagRunId ?? `portal__${Date.now()}_${crypto.randomUUID().slice(0, 8)}` },
      body,
    });
    return run;
  }

  async waitForRun(dagId, runId, { intervalMs = 2000, timeoutMs = 30 * 60_000, onProgress } = {}) {
    const deadline = Date.now() + timeoutMs;
    let last = null;
    for (;;) {
      const { run } = await this.#call(`/dags/${encodeURIComponent(dagId)}/runs/${encodeURIComponent(runId)}`);
      if (run.state !== last) {
        last = run.state;
        onProgress?.(run);
      }
      if (FINAL.has(run.state)) return run;
      if (Date.now() > deadline) throw new AirflowError("TIMEOUT", `run "${runId}" is still ${run.state}`);
      await sleep(intervalMs);
    }
  }

  free() {}
}
