// Node's require(): the same smoke run through `require("airflow-trigger")`.
const api = require("airflow-trigger");

const [runtime, baseUrl, username, password] = process.argv.slice(2);
import("./smoke.mjs")
  .then(({ smoke }) => smoke(api, { runtime, baseUrl, username, password }))
  .then((result) => console.log(JSON.stringify(result)));
