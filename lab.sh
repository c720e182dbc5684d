#!/usr/bin/env bash
# The course's command line (named lab.sh because lab/ is the library's folder).
#   ./lab.sh run [--timeout SECONDS] [NOTEBOOK...]  run notebooks headless (default: all); LAB_SCALE=ci unless set
#   ./lab.sh test                                   every test: Maven, kernel conformance, real Jupyter, all notebooks
#   ./lab.sh bench                                  kernel start-up and notebook benchmark against ipykernel
#   ./lab.sh help                                   all commands
# Builds what is needed with Maven first (only when sources changed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MAIN_CLASS=org.datalayerlab.kernel.cli.LabCli

LAB_PROG=./lab.sh
# shellcheck source=kernel-setup/common.sh
source "$ROOT/kernel-setup/common.sh"

java_cli() {
  exec "$JAVA" -Djava.awt.headless=true -Dlab.home="$ROOT" -cp "$ROOT/kernel/target/lib/*" "$MAIN_CLASS" "$@"
}

cmd="${1:-help}"
case "$cmd" in
  test)
    shift
    exec bash "$ROOT/kernel-setup/test-all" "$@"
    ;;
  bench)
    shift
    find_java
    build_if_stale "$ROOT"
    exec /usr/bin/python3 "$ROOT/bench/bench_kernel.py" "$@"
    ;;
  run)
    # "./lab.sh run" is the check-everything command: quick (ci) scale unless asked for more
    export LAB_SCALE="${LAB_SCALE:-ci}"
    find_java
    build_if_stale "$ROOT"
    java_cli "$@"
    ;;
  help | -h | --help)
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
    find_java
    build_if_stale "$ROOT"
    echo
    "$JAVA" -Dlab.home="$ROOT" -cp "$ROOT/kernel/target/lib/*" "$MAIN_CLASS" --help
    ;;
  *)
    find_java
    build_if_stale "$ROOT"
    java_cli "$@"
    ;;
esac
