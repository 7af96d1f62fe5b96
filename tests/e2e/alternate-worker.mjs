// The alternation of tests/e2e/alternate.mjs inside workerd: GET /?rounds=N.
import * as api from "airflow-trigger";
import { alternate } from "./alternate.mjs";

export default {
  async fetch(request) {
    const rounds = Number(new URL(request.url).searchParams.get("rounds") ?? 1000);
    try {
      return Response.json(alternate(api, rounds));
    } catch (e) {
      return Response.json({ error: String(e?.stack ?? e) }, { status: 500 });
    }
  },
};
