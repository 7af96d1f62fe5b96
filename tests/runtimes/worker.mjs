// workerd: a module worker that runs the smoke test on any request (config in its bindings).
// Named imports on purpose: a bundler must still run the entry that instantiates the module.
import { AirflowClient, AirflowError, ConfValidator, ParamsValidator, buildTriggerRequest, toCurl } from "airflow-trigger";
import { smoke } from "./smoke.mjs";

const api = { AirflowClient, AirflowError, ConfValidator, ParamsValidator, buildTriggerRequest, toCurl };

export default {
  async fetch(_request, env) {
    const result = await smoke(api, { runtime: "workerd", baseUrl: env.AF_URL, username: env.AF_USER, password: env.AF_PASSWORD });
    return Response.json(result);
  },
};
