#!/usr/bin/env bash
# Benchmark: the pack against plain baselines, side by side in one run (docs/performance.md).
#   src/bench/run.sh --quick                 seconds-to-a-minute sizes, to check that everything works
#   src/bench/run.sh                         the issue's sizes (2,000 files, 1 GiB, 500 MB, 100 MB, 500 messages, 60 s)
#   src/bench/run.sh --scenarios=import,large --files=5000 --repeat=3 --steps --markdown=/tmp/table.md
#   src/bench/run.sh --scenarios=cluster     1, 2, 3 runners on one PostgreSQL, 50 ms D365 latency (not in the default set)
# Not part of `mvn verify`: the sources live outside Maven's source folders and are compiled here with javac against
# the fat jar. Builds into ${RIP_BUILD_DIR:-target-bench} (BENCH_SKIP_BUILD=1 reuses the jar there).
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${RIP_BUILD_DIR:-target-bench}"
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  mvn -q -o -DskipTests -Drip.build.dir="$build" package
fi
jar="$build/recurring-integrations-pack.jar"
classes="$build/bench-classes"
rm -rf "$classes" && mkdir -p "$classes"
# the cluster scenario starts its PostgreSQL with the tests' fixture
javac -nowarn -d "$classes" -cp "$jar" $(find src/bench/java -name '*.java') \
  src/test/java/io/github/rip/journal/PostgresCluster.java
cp src/bench/resources/* "$classes/"
command -v curl >/dev/null || { echo "curl is needed for the large-file baseline (apt-get install curl)" >&2; exit 1; }
exec java -cp "$jar:$classes" io.github.rip.bench.Bench --jar="$jar" "$@"
