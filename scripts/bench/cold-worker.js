// Cold start in workerd: the first request instantiates nothing more; the module was compiled
// at startup. Answers with the first validated trigger request built for the bench Params.
import { ParamsValidator, buildTriggerRequest } from "airflow-trigger";
import { CONF, PARAMS } from "./data.mjs";

export default {
  async fetch() {
    const v = new ParamsValidator(PARAMS);
    const r = v.validate(CONF);
    const req = buildTriggerRequest({ baseUrl: "http://airflow.local", apiVersion: "v2", dagId: "bench", conf: r.conf });
    return Response.json({ valid: r.valid, url: req.url });
  },
};
