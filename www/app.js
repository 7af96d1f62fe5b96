// The trigger page: connect, pick a DAG, fill the form generated from its Params (validated as
// you type, exactly as Airflow will), trigger, and follow the run to its end.
import { AirflowClient, AirflowError, init, paramsToSchema } from "./pkg/index.js";
import { renderParamsForm } from "./form.js";
import { formatsFor, paramsValidator } from "./validator.js";
import { GatewayClient } from "./gateway-client.js";

const $ = (id) => document.getElementById(id);
const STORE = "airflow-trigger-connection";

let client = null;
let baseUrl = "";
let apiVersion = "v2";
let dags = [];
let current = null; // { dagId, form, validator }
let chosen = 0; // the last DAG chosen wins, whichever answer comes last

function showError(e) {
  const box = $("error");
  if (!e) {
    box.textContent = "";
    return;
  }
  box.textContent = e instanceof AirflowError ? `${e.message}${e.code ? ` (${e.code})` : ""}` : String(e?.message ?? e);
}

function authFrom(form) {
  const type = form.authType.value;
  if (type === "password") return { type, username: form.username.value, password: form.password.value };
  if (type === "bearer" || type === "gateway") return { type, token: form.token.value };
  return { type };
}

function showAuthFields() {
  const type = $("auth-type").value;
  for (const node of document.querySelectorAll("[data-for]")) node.hidden = !node.dataset.for.split(" ").includes(type);
  $("base-url").previousElementSibling.textContent = type === "gateway" ? "Gateway URL" : "Airflow URL";
}

function restore() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORE) ?? "null");
    if (!saved) return;
    const form = $("connect");
    form.baseUrl.value = saved.baseUrl ?? "";
    form.authType.value = saved.authType ?? "password";
    form.username.value = saved.username ?? "";
    form.password.value = saved.password ?? "";
    form.token.value = saved.token ?? "";
    form.remember.checked = true;
  } catch {
    sessionStorage.removeItem(STORE);
  }
}

async function connect(event) {
  event.preventDefault();
  showError(null);
  const form = $("connect");
  const status = $("connect-status");
  status.textContent = "Connecting…";
  client?.free();
  client = null;
  try {
    baseUrl = form.baseUrl.value.trim().replace(/\/+$/, "");
    const auth = authFrom(form);
    client = auth.type === "gateway"
      ? new GatewayClient({ baseUrl, token: auth.token })
      : new AirflowClient({ baseUrl, auth, timeoutMs: 15_000, retries: 2 });
    const v = await client.version();
    apiVersion = v.apiVersion;
    dags = (await client.listDags({ limit: 100 })).dags ?? [];
    if (form.remember.checked) {
      sessionStorage.setItem(STORE, JSON.stringify({
        baseUrl, authType: form.authType.value, username: form.username.value, password: form.password.value, token: form.token.value,
      }));
    } else {
      sessionStorage.removeItem(STORE);
    }
    status.textContent = `Connected to Airflow ${v.version} (${dags.length} DAGs).`;
    $("dags").hidden = false;
    renderDags();
    $("dag-search").focus();
  } catch (e) {
    status.textContent = "Not connected.";
    showError(e);
  }
}

function renderDags() {
  const q = $("dag-search").value.trim().toLowerCase();
  const list = $("dag-list");
  list.replaceChildren();
  for (const dag of dags.filter((d) => d.dagId.toLowerCase().includes(q))) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "dag";
    button.textContent = dag.dagId;
    if (dag.isPaused) button.append(Object.assign(document.createElement("span"), { className: "tag", textContent: " paused" }));
    button.addEventListener("click", () => choose(dag.dagId));
    const li = document.createElement("li");
    li.append(button);
    list.append(li);
  }
}

function syncRaw(conf) {
  $("raw-conf").value = JSON.stringify(conf, null, 2);
  $("raw-error").textContent = "";
}

function validate(conf) {
  if (!current) return { valid: false, errors: [] };
  const result = current.validator.validate(conf);
  current.form.showErrors(result.errors);
  return result;
}

async function showRuns(dagId) {
  const list = $("runs");
  try {
    const { runs } = await client.listRuns(dagId, { limit: 10 });
    list.replaceChildren(...runs.map((r) => {
      const li = document.createElement("li");
      li.dataset.state = r.state;
      li.textContent = `${r.dagRunId} — ${r.state}${r.startDate ? `, started ${new Date(r.startDate).toLocaleString()}` : ""}`;
      return li;
    }));
    if (!runs.length) list.replaceChildren(Object.assign(document.createElement("li"), { textContent: "No runs yet." }));
  } catch (e) {
    list.replaceChildren(Object.assign(document.createElement("li"), { textContent: `Recent runs unavailable: ${e.message}` }));
  }
}

async function choose(dagId) {
  showError(null);
  const choice = ++chosen;
  try {
    const [dag, params] = await Promise.all([client.getDag(dagId), client.getParams(dagId)]);
    const schema = paramsToSchema(params);
    // The server's own formats (Airflow 2 and 3 check different ones); through the gateway, the
    // gateway says which.
    const formats = apiVersion ? formatsFor(apiVersion) : client.formats;
    const validator = await paramsValidator(params, { formats });
    if (choice !== chosen) return validator.free();
    current?.validator.free();
    const form = renderParamsForm($("params"), schema, {
      onChange: (conf) => {
        syncRaw(conf);
        validate(conf);
      },
    });
    current = { dagId, form, validator };
    $("dag-name").textContent = dagId;
    $("dag-paused").hidden = !dag.isPaused;
    $("trigger").hidden = false;
    $("progress").textContent = "";
    $("run-link").hidden = true;
    const conf = form.getConf();
    syncRaw(conf);
    validate(conf);
    showRuns(dagId);
    $("trigger-h").scrollIntoView?.({ block: "start" });
    $("trigger-h").setAttribute("tabindex", "-1");
    $("trigger-h").focus();
  } catch (e) {
    if (choice !== chosen) return;
    showError(e);
  }
}

function rawEdited() {
  if (!current) return;
  try {
    const conf = JSON.parse($("raw-conf").value || "{}");
    if (conf === null || typeof conf !== "object" || Array.isArray(conf)) throw new Error("must be a JSON object");
    $("raw-error").textContent = "";
    current.form.setConf(conf);
    validate(current.form.getConf());
  } catch (e) {
    $("raw-error").textContent = `Not applied: ${e.message}`;
  }
}

function runUrl(dagId, runId) {
  if (!apiVersion) return null; // through a gateway: Airflow's address is not known here
  return apiVersion === "v2"
    ? `${baseUrl}/dags/${encodeURIComponent(dagId)}/runs/${encodeURIComponent(runId)}`
    : `${baseUrl}/dags/${encodeURIComponent(dagId)}/grid?dag_run_id=${encodeURIComponent(runId)}`;
}

async function trigger(event) {
  event.preventDefault();
  showError(null);
  if (!current) return;
  const conf = current.form.getConf();
  const verdict = validate(conf);
  if (!verdict.valid || Object.values(conf).some((v) => v?.__invalidJson !== undefined)) {
    $("progress").textContent = "Fix the fields marked above first.";
    current.form.focusFirstError();
    return;
  }
  const button = $("trigger-button");
  button.disabled = true;
  const progress = $("progress");
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
  try {
    const options = { conf };
    if ($("run-id").value.trim()) options.dagRunId = $("run-id").value.trim();
    if ($("logical-date").value) options.logicalDate = new Date($("logical-date").value).toISOString();
    if ($("note").value.trim()) options.note = $("note").value.trim();
    progress.textContent = "Triggering…";
    const run = await client.trigger(current.dagId, options);
    const link = $("run-link");
    const href = runUrl(current.dagId, run.dagRunId);
    if (href) link.href = href;
    link.hidden = !href;
    progress.textContent = `${run.dagRunId}: ${run.state}${run.dagPaused ? " (the DAG is paused)" : ""}`;
    if (run.dagPaused) return;
    const done = await client.waitForRun(current.dagId, run.dagRunId, {
      intervalMs: 2000,
      timeoutMs: 30 * 60_000,
      onProgress: (r) => { progress.textContent = `${r.dagRunId}: ${r.state} after ${elapsed()}`; },
    });
    progress.textContent = `${done.dagRunId}: ${done.state} after ${elapsed()}`;
    progress.dataset.state = done.state;
    await showRuns(current.dagId);
  } catch (e) {
    progress.textContent = "";
    showError(e);
  } finally {
    button.disabled = false;
  }
}

await init();
restore();
showAuthFields();
$("auth-type").addEventListener("change", showAuthFields);
$("connect").addEventListener("submit", connect);
$("dag-search").addEventListener("input", renderDags);
$("raw-conf").addEventListener("change", rawEdited);
$("trigger-form").addEventListener("submit", trigger);
document.body.dataset.ready = "true";
