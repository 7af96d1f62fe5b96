// <airflow-trigger>: a "trigger DAG" button (and optionally the DAG's form) for any page.
//   <airflow-trigger dag-id="etl_daily" base-url="https://airflow.example.com" auth="session" form>
// Attributes: dag-id, base-url, api-version ("auto" | "v1" | "v2"), auth ("session" | "none";
// credentials go through the `auth` property, never an attribute — without either, the form
// waits for the property), conf (JSON), label, form (show the Params form), wait (follow the run
// to its end).
// Events (bubbling, composed): airflow-trigger:triggered, :finished and :error, with the run (or
// the error) in `detail`.
import { AirflowClient, AirflowError, init, paramsToSchema } from "./pkg/index.js";
import { renderParamsForm } from "./form.js";
import { formatsFor, paramsValidator } from "./validator.js";

let ready;

export class AirflowTriggerElement extends HTMLElement {
  static observedAttributes = ["dag-id", "base-url", "api-version", "auth", "label", "form"];
  #auth = null;
  #client = null;
  #form = null;
  #validator = null;
  #loads = 0;
  #button;
  #status;
  #fields;

  /** Credentials (`{ type: "bearer", token }`, `{ type: "password", ... }`): kept in memory only. */
  set auth(value) {
    this.#auth = value;
    this.#reset();
    if (this.isConnected && this.hasAttribute("form")) this.#loadForm();
  }

  get auth() {
    return this.#auth ? { type: this.#auth.type } : null;
  }

  connectedCallback() {
    if (!this.#button) {
      this.#fields = document.createElement("div");
      this.#button = document.createElement("button");
      this.#button.type = "button";
      this.#status = document.createElement("span");
      this.#status.setAttribute("role", "status");
      this.#status.setAttribute("aria-live", "polite");
      this.#button.addEventListener("click", () => this.trigger());
      this.append(this.#fields, this.#button, this.#status);
    }
    this.#button.textContent = this.getAttribute("label") ?? `Trigger ${this.getAttribute("dag-id") ?? ""}`.trim();
    // Without an `auth` attribute the credentials come as a property: wait for them.
    if (this.hasAttribute("form") && (this.#auth || this.hasAttribute("auth"))) this.#loadForm();
  }

  attributeChangedCallback() {
    this.#reset();
    if (this.isConnected && this.#button) this.connectedCallback();
  }

  #reset() {
    this.#client?.free();
    this.#client = null;
  }

  async #clientFor() {
    ready ??= init();
    await ready;
    if (!this.#client) {
      const type = this.getAttribute("auth");
      this.#client = new AirflowClient({
        baseUrl: this.getAttribute("base-url") ?? "",
        apiVersion: this.getAttribute("api-version") ?? "auto",
        auth: this.#auth ?? (type ? { type } : { type: "none" }),
      });
    }
    return this.#client;
  }

  async #loadForm() {
    // The last load wins: an earlier one (another DAG, other credentials) that ends later is
    // dropped, and no form outlives the attributes it was loaded for.
    const load = ++this.#loads;
    this.#form = null;
    this.#validator?.free();
    this.#validator = null;
    this.#fields.replaceChildren();
    try {
      const client = await this.#clientFor();
      const params = await client.getParams(this.getAttribute("dag-id") ?? "");
      // Airflow 2 and 3 check different formats: the server's own, as a trigger does.
      const { apiVersion } = await client.version();
      const validator = await paramsValidator(params, { formats: formatsFor(apiVersion) });
      if (load !== this.#loads) return validator.free();
      this.#validator = validator;
      this.#form = renderParamsForm(this.#fields, paramsToSchema(params), {
        idPrefix: "at",
        onChange: (conf) => this.#form.showErrors(this.#validator.validate(conf).errors),
      });
    } catch (e) {
      if (load === this.#loads) this.#fail(e);
    }
  }

  #emit(name, detail) {
    this.dispatchEvent(new CustomEvent(`airflow-trigger:${name}`, { detail, bubbles: true, composed: true }));
  }

  #fail(e) {
    this.#status.textContent = e?.message ?? String(e);
    this.#emit("error", e);
  }

  /** Triggers the DAG (as the button does); resolves to the run, or null after an error. */
  async trigger() {
    this.#button.disabled = true;
    try {
      const client = await this.#clientFor();
      const dagId = this.getAttribute("dag-id") ?? "";
      let conf = JSON.parse(this.getAttribute("conf") ?? "{}");
      if (this.#form) {
        conf = { ...conf, ...this.#form.getConf() };
        const verdict = this.#validator.validate(conf);
        if (!verdict.valid) {
          this.#form.showErrors(verdict.errors);
          this.#form.focusFirstError();
          throw new AirflowError("INVALID_CONF", "Fix the marked fields first.", { errors: verdict.errors });
        }
      }
      this.#status.textContent = "Triggering…";
      const run = await client.trigger(dagId, { conf });
      this.#status.textContent = `${run.dagRunId}: ${run.state}`;
      this.#emit("triggered", run);
      if (this.hasAttribute("wait") && !run.dagPaused) {
        const done = await client.waitForRun(dagId, run.dagRunId, {
          intervalMs: 2000,
          onProgress: (r) => { this.#status.textContent = `${r.dagRunId}: ${r.state}`; },
        });
        this.#status.textContent = `${done.dagRunId}: ${done.state}`;
        this.#emit("finished", done);
        return done;
      }
      return run;
    } catch (e) {
      this.#fail(e);
      return null;
    } finally {
      this.#button.disabled = false;
    }
  }

  disconnectedCallback() {
    this.#reset();
    this.#validator?.free();
    this.#validator = null;
  }
}

if (!customElements.get("airflow-trigger")) customElements.define("airflow-trigger", AirflowTriggerElement);
