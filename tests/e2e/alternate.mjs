// Every error path of every export alternated with valid calls, for any runtime: Node and workerd
// (tests/e2e/alternate-worker.mjs) run the same rounds. Throws at the first wrong verdict or trap.
export function alternate(api, rounds) {
  const { AirflowError, ConfValidator, ParamsValidator, buildTriggerRequest, paramsToSchema, parseTriggerResponse, toCurl } = api;
  const fail = (what) => {
    throw new Error(what);
  };
  const refused = (fn, field) => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof AirflowError) || e.code !== "INVALID_ARGUMENT" || e.field !== field) {
        fail(`expected INVALID_ARGUMENT for ${field}, got ${e?.stack ?? e}`);
      }
      return;
    }
    fail(`no error for ${field}`);
  };
  let deep = 1;
  for (let i = 0; i < 130; i++) deep = [deep];
  const small = new ConfValidator({ type: "object" }, { maxInputBytes: 1000 });
  const items = new ConfValidator({ type: "array", items: { type: "integer" } });
  const budget = new ConfValidator({ oneOf: [{ type: "array" }, { type: "array", uniqueItems: true }] }, { maxSteps: 50 });
  const params = new ParamsValidator({ n: { value: 1, schema: { type: "integer", minimum: 0 } } });
  const hundred = Array.from({ length: 100 }, (_, i) => i);
  const big = { pad: "x".repeat(2000) };
  const paths = [
    () => refused(() => small.validate(big), "instance"),
    () => refused(() => small.validate(deep), "instance"),
    () => refused(() => new ConfValidator({ type: 7 }), "schema"),
    () => refused(() => new ConfValidator({}, { maxDepth: 5000 }), "options.maxDepth"),
    () => refused(() => new ConfValidator({}, { nope: 1 }), "options.nope"),
    () => refused(() => new ConfValidator({ pattern: "(" }), "schema"),
    // A reference to a group that does not exist: refused by ECMA-262 and by Python's re (the
    // default module and the full one, which workerd loads).
    () => refused(() => new ConfValidator({ pattern: "(a)\\2" }), "schema"),
    () => refused(() => params.validate(deep), "conf"),
    () => refused(() => buildTriggerRequest({ baseUrl: "nope", apiVersion: "v1", dagId: "x" }), "baseUrl"),
    () => refused(() => toCurl({ method: "POST $(touch x)", url: "http://h/" }), "request.method"),
    () => refused(() => paramsToSchema(deep), "params"),
    () => refused(() => small.validate(undefined), "instance"),
    () => {
      const r = budget.validate(hundred);
      if (r.valid || r.errors.at(-1)?.keyword !== "maxSteps") fail(`budget: ${JSON.stringify(r)}`);
    },
    () => {
      try {
        parseTriggerResponse("v2", 404, "application/json", '{"detail":"DAG not found"}');
      } catch (e) {
        if (e.code === "NOT_FOUND") return;
        throw e;
      }
      fail("404 read as a run");
    },
  ];
  for (let round = 0; round < rounds; round++) {
    paths[round % paths.length]();
    const ok = items.validate(hundred);
    if (!ok.valid || ok.errors.length) fail(`round ${round}: a valid instance was refused`);
    const r = params.validate({ n: round % 3 === 0 ? -1 : round });
    if (r.valid !== (round % 3 !== 0)) fail(`round ${round}: wrong verdict ${JSON.stringify(r)}`);
  }
  for (const v of [small, items, budget, params]) v.free();
  return { rounds, paths: paths.length };
}
