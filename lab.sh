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

# ./lab.sh test: every test in one command (CI calls this). Each step is timed; all steps run, and
# the command fails if any did.
run_tests() {
  find_java
  command -v mvn >/dev/null || die "Maven (mvn) is not on PATH"
  local py=/usr/bin/python3 passed=0 failed=0 failures=()
  "$py" -c 'import nbclient, nbconvert, nbformat, jupyter_client, jupyter_kernel_test' 2>/dev/null || die \
    "the tests need Debian's Jupyter packages: apt-get install python3-jupyter-kernel-test python3-nbclient python3-nbconvert python3-nbformat jupyter-client python3-ipykernel"
  work="$(mktemp -d)" # global: the EXIT trap runs after this function has returned
  trap 'rm -rf "$work"' EXIT
  export JUPYTER_DATA_DIR="$work/jupyter" # the kernel under test, not one the user installed
  step() {
    local name="$1" start rc
    shift
    echo "=== $name"
    start=$SECONDS
    set +e
    "$@"
    rc=$?
    set -e
    if (( rc == 0 )); then
      passed=$((passed + 1)); echo "=== $name: ok ($((SECONDS - start)) s)"
    else
      failed=$((failed + 1)); failures+=("$name"); echo "=== $name: FAILED, exit $rc ($((SECONDS - start)) s)"
    fi
  }
  maven_tests() {
    (cd "$ROOT" && mvn -B -ntp verify >"$work/maven.log" 2>&1)
    local rc=$?
    grep -E 'Tests run:|BUILD|ERROR|FAIL' "$work/maven.log" | grep -v '^\[INFO\] *$' || true
    (( rc == 0 )) || tail -n 80 "$work/maven.log"
    return $rc
  }
  step "Maven build and tests (mvn verify)" maven_tests
  step "install the kernelspec (kernel-setup/install)" "$ROOT/kernel-setup/install" --no-build
  step "kernel conformance (jupyter_kernel_test)" bash "$ROOT/kernel/src/test/python/run_conformance.sh"
  step "notebooks through real Jupyter (nbclient, nbconvert)" \
    "$py" -m unittest discover -s "$ROOT/kernel-setup/tests" -v
  step "all notebooks headless at LAB_SCALE=ci (./lab.sh run)" env LAB_SCALE=ci "$ROOT/lab.sh" run
  echo
  (( failed == 0 )) || echo "failed steps: ${failures[*]}"
  echo "test steps: $passed passed, $failed failed"
  (( failed == 0 ))
}

cmd="${1:-help}"
case "$cmd" in
  test)
    run_tests
    ;;
  bench)
    shift
    find_java
    build_if_stale "$ROOT"
    exec /usr/bin/python3 "$ROOT/bench/bench_kernel.py" "$@"
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
