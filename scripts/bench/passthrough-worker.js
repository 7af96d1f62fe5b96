// The gateway benchmark's floor: forwards the body to Airflow's dagRuns with no checks at all.
export default {
  async fetch(request, env) {
    const res = await fetch(`${env.AIRFLOW_URL}/api/v2/dags/bench/dagRuns`, {
      method: "POST",
      headers: { Authorization: `Bearer ${env.AIRFLOW_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ dag_run_id: `p_${Date.now()}_${Math.random()}`, logical_date: null, conf: (await request.json()).conf }),
    });
    return Response.json({ run: await res.json() }, { status: 201 });
  },
};
