# Shared by ./lab and kernel-setup/*: finding a JDK and building the jars. Source it; do not run it.

die() { echo "${LAB_PROG:-lab}: $*" >&2; exit 2; }

# Sets JAVA to the java binary (JAVA_HOME if set, else java on PATH); refuses anything before 17.
find_java() {
  if [[ -n "${JAVA_HOME:-}" ]]; then JAVA="$JAVA_HOME/bin/java"; else JAVA="$(command -v java || true)"; fi
  [[ -n "$JAVA" && -x "$JAVA" ]] || die "no Java found: install a JDK 17 or newer, or set JAVA_HOME to one"
  JAVA="$(readlink -f "$JAVA")"
  local version
  version="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  version="${version#1.}"
  [[ "${version%%.*}" =~ ^[0-9]+$ ]] || die "could not tell the version of $JAVA"
  if (( ${version%%.*} < 17 )); then
    die "$JAVA is Java $version; the course needs JDK 17 or newer (install one and set JAVA_HOME to it)"
  fi
  JAVA_VERSION="$version"
}

# Builds library/target/lib and kernel/target/lib with Maven when a pom or a main source changed since
# the last build (or always with FORCE_BUILD=1). Quiet unless the build fails.
build_if_stale() {
  local root="$1" stamp="$1/target/.lab-build-stamp"
  if [[ "${FORCE_BUILD:-0}" != 1 ]] \
      && compgen -G "$root/kernel/target/lib/lab-kernel-*-lib.jar" >/dev/null \
      && compgen -G "$root/library/target/lib/*.jar" >/dev/null \
      && [[ -f "$stamp" ]] \
      && [[ -z "$(cd "$root" && find pom.xml library/pom.xml kernel/pom.xml library/src/main kernel/src/main \
                  -newer "$stamp" -print -quit 2>/dev/null)" ]]; then
    return 0
  fi
  command -v mvn >/dev/null || die "Maven (mvn) is not on PATH: install Maven 3.8 or newer"
  echo "${LAB_PROG:-lab}: building (mvn -q -pl kernel -am package -DskipTests)..." >&2
  mkdir -p "$root/target"
  touch "$stamp.next" # a source saved during the build still counts as changed next time
  local log
  log="$(mktemp)"
  if ! (cd "$root" && mvn -q -B -pl kernel -am package -DskipTests >"$log" 2>&1); then
    cat "$log" >&2
    rm -f "$log" "$stamp.next"
    die "the build failed (output above)"
  fi
  rm -f "$log"
  mv "$stamp.next" "$stamp"
}
