#!/bin/sh
# bootstrap.sh - set up a fresh Debian machine to build and test libvhkey,
# then build it.
#
#   ./bootstrap.sh [configure options...]
#
# As root, installs the missing Debian packages with apt-get; otherwise
# prints the apt-get line to run.  Then runs autoreconf, configure and make.
set -eu

cd "$(dirname "$0")"

# build tools, libraries, the real peers the tests run against, and time
# (/usr/bin/time, for the peak memory bench/checkkeys.sh measures); the
# oracle test (tests/oracle) is Python and makes keys with openssl too
PACKAGES="build-essential autoconf automake libtool pkg-config
libssl-dev libsodium-dev libcmocka-dev
openssh-client openssh-server putty-tools faketime mandoc time valgrind
clang libclang-rt-14-dev openssl python3 python3-cryptography"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q '^install ok installed$'; then
		missing="$missing $p"
	fi
done

if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "bootstrap: installing:$missing"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
	else
		echo "bootstrap: missing packages; install them with:" >&2
		echo "  sudo apt-get install -y$missing" >&2
		exit 1
	fi
fi

if [ ! -x configure ] || [ configure.ac -nt configure ] ||
	[ Makefile.am -nt configure ]; then
	autoreconf -fi
fi
if [ ! -f Makefile ] || [ $# -gt 0 ]; then
	./configure "$@"
fi
make -j"$(nproc 2>/dev/null || echo 2)"
