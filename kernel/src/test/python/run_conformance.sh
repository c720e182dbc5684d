#!/bin/sh
# Runs the Jupyter kernel conformance suite against kernel/target/lib (build it first:
# mvn -pl kernel -am package -DskipTests). Uses Debian's Python with python3-jupyter-kernel-test.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
kernel_dir=$(cd "$here/../../.." && pwd)
lib="$kernel_dir/target/lib"
if [ ! -d "$lib" ]; then
    echo "no $lib: build the kernel first (mvn -pl kernel -am package -DskipTests)" >&2
    exit 2
fi
jupyter_path=$(mktemp -d)
trap 'rm -rf "$jupyter_path"' EXIT
mkdir -p "$jupyter_path/kernels/java-lab"
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
cat > "$jupyter_path/kernels/java-lab/kernel.json" <<JSON
{
  "argv": ["$java_bin", "-cp", "$lib/*", "org.datalayerlab.kernel.jupyter.LabKernel", "{connection_file}"],
  "display_name": "Java (Data Layer Lab)",
  "language": "java",
  "interrupt_mode": "message"
}
JSON
cd "$here"
JUPYTER_PATH="$jupyter_path" exec /usr/bin/python3 -m unittest -v test_conformance "$@"
