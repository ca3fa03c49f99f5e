"""depthprobe's scheduled run: GLPN depth maps, and ImageGPT features followed by a linear probe.

One SparkSubmitOperator per job. Each job's arguments live in depthprobe_jobs.json beside this file,
the same file the project's tests run through each command's --dry-run, so this DAG cannot drift
from the command line. Every job takes the logical date as --run-id: a rerun (an Airflow retry, or
a cleared task) replaces that run's partition of the output and nothing else, _SUCCESS is written
only when the output is complete, and a failed job exits non-zero so that Airflow retries it.

Needs apache-airflow-providers-apache-spark on the Airflow workers and spark-submit on their PATH
(or the Spark connection's spark-binary).
"""
import json
import os
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

# ---- What an operator changes ----------------------------------------------------------------
# The Airflow connection to the cluster (Admin > Connections, type "Spark"): host yarn,
# k8s://https://..., or spark://...; extra {"deploy-mode": "cluster"} keeps drivers off the worker.
SPARK_CONN_ID = "spark_default"
# Where depthprobe is installed on the Airflow workers (spark-submit reads these files there).
DEPTHPROBE_HOME = "/opt/depthprobe"
# The jobs jar: jobs/target-gpu/depthprobe-jobs.jar of `mvn -P gpu -DskipTests package` for GPU
# executors, jobs/target/depthprobe-jobs.jar of `mvn -DskipTests package` for CPU ones.
JOBS_JAR = f"{DEPTHPROBE_HOME}/depthprobe-jobs.jar"
# Spark settings of the cluster: conf/spark-gpu.conf (GPU scheduling, RAPIDS) or conf/spark-cpu.conf.
PROPERTIES_FILE = f"{DEPTHPROBE_HOME}/conf/spark-gpu.conf"
# GPU only: the RAPIDS Accelerator jar, passed to spark-submit and never bundled into the jobs jar,
# and the GPU discovery script named by spark-gpu.conf. Set both to None for CPU executors.
RAPIDS_JAR = f"{DEPTHPROBE_HOME}/lib/rapids-4-spark_2.13-26.08.1.jar"
GPU_DISCOVERY_SCRIPT = f"{DEPTHPROBE_HOME}/conf/getGpusResources.sh"
# Paths every executor can read, filled into the {{ params.* }} of depthprobe_jobs.json:
PARAMS = {
    # images to estimate depth for (a folder or glob of image files)
    "depth_images": "hdfs:///data/depth/images",
    # labelled images for the linear probe: PROBE_IMAGES/{train,test}/<class>/<image>
    "probe_images": "hdfs:///data/probe",
    # the model folder: one Hugging Face checkpoint folder per model (config.json,
    # preprocessor_config.json and the weights), e.g. from `huggingface-cli download`; folders on
    # HDFS or S3 are read by the executors (--model-distribution path)
    "models": "hdfs:///models",
    "depth_model": "glpn-kitti",
    "features_model": "imagegpt-small",
    # the ImageGPT layer whose features the probe reads (imagegpt-small has 24)
    "probe_layer": "12",
    # where the jobs write their Parquet tables, one run_id=<logical date> partition per run
    "output": "hdfs:///depthprobe",
}
# -------------------------------------------------------------------------------------------------

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "depthprobe_jobs.json")) as f:
    JOBS = json.load(f)["jobs"]

default_args = {
    "owner": "depthprobe",
    # a job is idempotent per --run-id, so retrying it is always safe
    "retries": 2,
    "retry_delay": timedelta(minutes=10),
    "retry_exponential_backoff": True,
    "execution_timeout": timedelta(hours=12),
}

with DAG(
    dag_id="depthprobe",
    description="GLPN depth and ImageGPT linear-probe features on Spark",
    schedule="@daily",
    start_date=datetime(2025, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    params=PARAMS,
    tags=["depthprobe", "spark"],
) as dag:
    tasks = {}
    for job in JOBS:
        tasks[job["task_id"]] = SparkSubmitOperator(
            task_id=job["task_id"],
            conn_id=SPARK_CONN_ID,
            application=JOBS_JAR,
            java_class="dev.depthprobe.jobs.Submit",
            properties_file=PROPERTIES_FILE,
            jars=RAPIDS_JAR,
            files=GPU_DISCOVERY_SCRIPT,
            name="depthprobe-" + job["task_id"] + "-{{ ds }}",
            # templated by Airflow: {{ ds }} is the logical date, {{ params.* }} come from PARAMS
            application_args=job["args"],
        )
    # No sensors: a task starts when the tasks it reads from have succeeded.
    for job in JOBS:
        for upstream in job["upstream"]:
            tasks[upstream] >> tasks[job["task_id"]]
