#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need, then runs pytest.
# Needs Python 3.11+ and pip; as root it also installs the Debian tools the tests drive
# (Java for HermiT, rapper, Virtuoso, Chromium + ChromeDriver, Graphviz for big map layouts). A missing tool fails its tests.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=()
command -v java >/dev/null        || debs+=(default-jre-headless)
command -v rapper >/dev/null      || debs+=(raptor2-utils)
command -v virtuoso-t >/dev/null  || debs+=(virtuoso-opensource-7)
command -v chromium >/dev/null    || debs+=(chromium)
command -v chromedriver >/dev/null || debs+=(chromium-driver)
command -v sfdp >/dev/null        || debs+=(graphviz)
if ((${#debs[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "tests/run.sh: installing ${debs[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${debs[@]}" >/dev/null
  else
    echo "tests/run.sh: missing ${debs[*]} (run as root to install them); their tests will fail" >&2
  fi
fi

python -m pip install -q --disable-pip-version-check -e ".[test]"
exec python -m pytest -p no:cacheprovider "$@"
