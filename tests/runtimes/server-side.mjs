// Node, Deno and Bun: `node|deno|bun server-side.mjs <runtime> <baseUrl> <user> <password>` in a
// project that installed the packed package; prints the smoke result as one JSON line.
import * as api from "airflow-trigger";
import { smoke } from "./smoke.mjs";

const [runtime, baseUrl, username, password] = (globalThis.Deno?.args ?? process.argv.slice(2));
console.log(JSON.stringify(await smoke(api, { runtime, baseUrl, username, password })));
