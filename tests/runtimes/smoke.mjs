// The same smoke run in every runtime: validate a conf, build a request, trigger a real run.
// `api` is the imported package; resolves to what the test checks (plain JSON).
export async function smoke(api, { runtime, baseUrl, username, password }) {
  const validator = new api.ConfValidator({
    type: "object",
    properties: { runtime: { type: "string", minLength: 1 }, n: { type: "integer" } },
    required: ["runtime"],
  });
  const bad = validator.validate({ runtime: "", n: "x" });
  const good = validator.validate({ runtime, n: 1 });
  validator.free();
  // Python's re (the full module): \d takes Arabic-Indic digits and $ matches before a final
  // newline, so Airflow accepts this. The browser's default module has no Python re: it refuses
  // to compile the pattern in an Airflow mode ("refused"), never answering otherwise.
  let pythonRe;
  try {
    const params = new api.ParamsValidator({ id: { value: "1", schema: { type: "string", pattern: "^\\d+$" } } }, { formats: "airflow3" });
    pythonRe = params.validate({ id: "\u0661\u0662\u0663\n" }).valid;
    params.free();
  } catch (e) {
    if (!(e instanceof api.AirflowError && e.code === "INVALID_ARGUMENT" && e.message.includes("airflow-trigger/full"))) throw e;
    pythonRe = "refused";
  }

  const request = api.buildTriggerRequest({
    baseUrl, apiVersion: "v2", dagId: "paused_target", dagRunId: "r1", conf: { runtime }, auth: { type: "bearer", token: "t0ken" },
  });
  let refused = null;
  try {
    api.buildTriggerRequest({ baseUrl, apiVersion: "v2", dagId: "a/b" });
  } catch (e) {
    refused = { isAirflowError: e instanceof api.AirflowError, code: e.code, field: e.field };
  }

  const client = new api.AirflowClient({ baseUrl, auth: { type: "password", username, password } });
  try {
    const run = await client.trigger("paused_target", { conf: { runtime } });
    return {
      runtime,
      pythonRe,
      invalidPaths: bad.errors.map((e) => e.instancePath).sort(),
      valid: good.valid,
      request: { method: request.method, url: request.url, body: JSON.parse(request.body), curl: api.toCurl(request).includes("***") },
      refused,
      run: { dagRunId: run.dagRunId, conf: run.conf, dagPaused: run.dagPaused },
    };
  } finally {
    client.free();
  }
}
