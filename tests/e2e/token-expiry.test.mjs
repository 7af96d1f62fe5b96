// A client that outlives its Airflow 3 token keeps working: the 401 "Token Expired" leads to one
// new POST /auth/token and the request is repeated. make test runs Airflow 3 with
// AF_JWT_EXPIRATION=20 and AF_JWT_LEEWAY=0 (seconds) for this.
import assert from "node:assert/strict";
import { before, test } from "node:test";

import { AirflowClient } from "../../pkg/node.js";
import { requireServers, servers } from "./helpers.mjs";

before(requireServers);

const lifetime = Number(process.env.AF_JWT_EXPIRATION) + Number(process.env.AF_JWT_LEEWAY ?? 10);

test("an expired Airflow 3 token is renewed once, transparently", { skip: !(lifetime > 0 && lifetime <= 120) && "AF_JWT_EXPIRATION is not set to a short lifetime (make test sets it)" }, async () => {
  const v2 = servers.find((s) => s.api === "v2");
  const logins = [];
  const client = new AirflowClient({
    baseUrl: v2.url,
    apiVersion: "v2",
    auth: { type: "password", username: v2.user, password: v2.password },
    fetch: async (url, init) => {
      const res = await fetch(url, init);
      if (url.endsWith("/auth/token")) logins.push(res.status);
      return res;
    },
  });
  assert.equal((await client.getDag("trigger_params")).dagId, "trigger_params");
  assert.deepEqual(logins, [201]);
  await new Promise((resolve) => setTimeout(resolve, (lifetime + 2) * 1000));
  const run = await client.trigger("no_params");
  assert.equal(run.state, "queued");
  assert.deepEqual(logins, [201, 201], "one new login after the token expired");
  client.free();
});
