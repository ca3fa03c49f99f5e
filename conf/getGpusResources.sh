#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript): prints the GPUs this
# executor may use as Spark's ResourceInformation JSON, e.g. {"name": "gpu", "addresses":["0","1"]}.
# The addresses are CUDA device indices; depthprobe pins each task's ND4J thread to the one Spark
# assigns it. This is the query of Spark's examples/src/main/scripts/getGpusResources.sh.
# On YARN or Kubernetes with GPU isolation, nvidia-smi sees only the container's GPUs.
set -euo pipefail

ADDRS=$(nvidia-smi --query-gpu=index --format=csv,noheader | sed -e ':a' -e 'N' -e'$!ba' -e 's/\n/","/g')
echo "{\"name\": \"gpu\", \"addresses\":[\"$ADDRS\"]}"
