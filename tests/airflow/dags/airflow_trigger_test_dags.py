"""DAGs the airflow-trigger tests and demo trigger. Written for Airflow 2.11 and 3.3 alike."""
from datetime import datetime

try:  # Airflow 3
    from airflow.sdk import DAG, Asset, Param, task
except ImportError:  # Airflow 2
    from airflow import DAG
    from airflow.datasets import Dataset as Asset
    from airflow.decorators import task
    from airflow.models.param import Param

START = datetime(2024, 1, 1)


@task
def echo_conf(**context):
    print("conf:", context["dag_run"].conf)


@task
def fail():
    raise RuntimeError("this task fails on purpose")


with DAG(
    dag_id="trigger_params",
    start_date=START,
    schedule=None,
    catchup=False,
    is_paused_upon_creation=False,
    params={
        "count": Param(5, type="integer", minimum=1, description="How many items to process"),
        "mode": Param("fast", enum=["fast", "safe"], description="Processing mode"),
        "day": Param("2024-01-01", type="string", format="date", title="Day"),
        "options": Param({"retries": 1}, type="object", description="Free-form options"),
        "label": Param(None, type=["null", "string"], description="Optional label"),
        "target": Param(type="string", minLength=1, description="Required, no default"),
        "plain": 42,
    },
):
    echo_conf()

with DAG(
    dag_id="no_params",
    start_date=START,
    schedule=None,
    catchup=False,
    is_paused_upon_creation=False,
):
    echo_conf()

with DAG(
    dag_id="always_fails",
    start_date=START,
    schedule=None,
    catchup=False,
    is_paused_upon_creation=False,
):
    fail()

# Stays paused: triggers create queued runs that never start (cheap fault-injection target).
with DAG(
    dag_id="paused_target",
    start_date=START,
    schedule=None,
    catchup=False,
    is_paused_upon_creation=True,
    params={"n": Param(0, type="integer")},
):
    echo_conf()

with DAG(
    dag_id="demo",
    start_date=START,
    schedule=None,
    catchup=False,
    is_paused_upon_creation=False,
    params={
        "greeting": Param("hello", type="string", minLength=1, title="Greeting"),
        "repeat": Param(1, type="integer", minimum=1, maximum=10, title="Repeat"),
    },
):
    echo_conf()

# Param texts carrying XSS payloads: the trigger page must render them inert (tests/e2e/www.test.mjs).
XSS = '<script>window.__xss = "script"</script><img src=x onerror="window.__xss = \'img\'">'
with DAG(
    dag_id="xss_params",
    start_date=START,
    schedule=None,
    catchup=False,
    is_paused_upon_creation=True,
    params={
        "md": Param(
            "a",
            type="string",
            title='Title <b onmouseover="window.__xss = \'title\'">x</b>',
            description_md=XSS + ' [click me](javascript:window.__xss="link") **bold** [safe](https://airflow.apache.org)',
        ),
        "plain": Param("b", type="string", description=XSS),
        "choice": Param("x", enum=["x", "y"], values_display={"x": XSS, "y": "<svg onload=\"window.__xss='svg'\">"}),
    },
):
    echo_conf()


# Data-aware scheduling: an event on LANDED makes asset_consumer run.
LANDED = "trigger-test://landed/orders"
# Airflow 3's materialize runs asset_producer, whose task makes MADE.
MADE = "trigger-test://made/report"


@task(outlets=[Asset(MADE)])
def produce():
    print("made", MADE)


with DAG(
    dag_id="asset_consumer",
    start_date=START,
    schedule=[Asset(LANDED)],
    catchup=False,
    is_paused_upon_creation=False,
):
    echo_conf()

with DAG(
    dag_id="asset_producer",
    start_date=START,
    schedule=None,
    catchup=False,
    is_paused_upon_creation=False,
):
    produce()

# Paused at creation; `trigger(..., unpause=True)` must unpause it (the test pauses it again first).
with DAG(
    dag_id="unpause_target",
    start_date=START,
    schedule=None,
    catchup=False,
    is_paused_upon_creation=True,
):
    echo_conf()

# Params Airflow reads with Python's re (an inline flag ECMAScript has no form for; Unicode \d):
# the browser's default module refuses them, and the element and the page judge them with the
# full module instead. Paused: triggers only create queued runs.
with DAG(
    dag_id="regex_params",
    start_date=START,
    schedule=None,
    catchup=False,
    is_paused_upon_creation=True,
    params={
        "code": Param("abc", type="string", pattern=r"(?i)^[a-z]+$"),
        "digits": Param("123", type="string", pattern=r"^\d+$"),
        # Checked by Airflow 3 only (2.11.2 has no duration checker).
        "every": Param("P1D", type="string", format="duration"),
    },
):
    echo_conf()
