"""Airflow's own verdict for each case, run with the Python of a real Airflow venv:

    .airflow/venv-2.11.2/bin/python tests/agreement/airflow_verdicts.py < cases.json
    .airflow/venv-3.3.2/bin/python  tests/agreement/airflow_verdicts.py < cases.json

Validates as the servers do when a run is triggered: 2.x copies the DAG's ParamsDict, updates
it with conf and validates (DAG.create_dagrun); 3.x serializes the DAG's Params as the DAG
serializer does, deserializes them into the server's SerializedParamsDict, deep-merges conf and
validates (SerializedDAG.create_dagrun). Prints a JSON list of {"valid": bool, "message": str}.
"""
import copy
import json
import sys
import warnings

import airflow

AIRFLOW_3 = airflow.__version__.startswith("3.")
if AIRFLOW_3:
    from airflow.sdk.definitions.param import Param, ParamsDict
    from airflow.serialization.serialized_objects import BaseSerialization
else:
    from airflow.models.param import Param, ParamsDict


def verdict(case):
    try:
        # A Param Airflow cannot even build (a schema it refuses) fails the run too.
        params = ParamsDict(
            {
                name: Param(p["default"], **p["schema"]) if "default" in p else Param(**p["schema"])
                for name, p in case["params"].items()
            }
        )
        if AIRFLOW_3:
            served = BaseSerialization._deserialize_params_dict(BaseSerialization._serialize_params_dict(params))
            served.deep_merge(case["conf"]).validate()
        else:
            merged = copy.deepcopy(params)
            merged.update(case["conf"])
            merged.validate()
        return {"valid": True, "message": ""}
    except Exception as e:  # the server answers 400 for any of them
        return {"valid": False, "message": str(e).split("\n")[0][:200]}
    except BaseException as e:
        # A RecursionError met inside `rpds` (referencing's maps, in Rust) comes out as pyo3's
        # PanicException, a BaseException: the server answers 500, and the run is refused too.
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        return {"valid": False, "message": f"{type(e).__name__}: {str(e).splitlines()[0][:160] if str(e) else ''}"}


def main():
    cases = json.load(sys.stdin)
    # Airflow 3 logs warnings (re's FutureWarning on "[[", for one) to stdout: keep it for JSON.
    out, sys.stdout = sys.stdout, sys.stderr
    warnings.simplefilter("ignore")
    verdicts = [verdict(c) for c in cases]
    json.dump(verdicts, out)


if __name__ == "__main__":
    main()
