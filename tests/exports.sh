#!/bin/bash
# The shared library exports the public API and nothing else, and
# pkg-config builds a consumer of an installed copy.
. "$top_srcdir/tests/lib.sh"

so="$top_builddir/lib/.libs/libvhkey.so"
"$top_builddir/libtool" --config | grep -q '^build_libtool_libs=yes' ||
	skip "a --disable-shared build has no shared library to check"
[ -f "$so" ] || fail "no $so"

exported=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBRV]$/ { print $3 }' | sort)
[ -n "$exported" ] || fail "nothing exported"
bad=$(echo "$exported" | grep -v '^vhkey_' || true)
[ -z "$bad" ] || fail "exported beyond vhkey_*: $bad"

# every function the header declares is exported
declared=$(sed -n '/^VHKEY_API/,/;/p' "$top_builddir/include/vhkey.h" |
	grep -o 'vhkey_[a-z0-9_]*(' | tr -d '(' | sort -u)
[ "$(echo "$declared" | wc -l)" -gt 15 ] || fail "header parse: $declared"
for f in $declared; do
	echo "$exported" | grep -qx "$f" || fail "$f declared but not exported"
done
echo "exports: $(echo "$exported" | wc -l) symbols, all vhkey_*"

# install a copy and build a consumer with pkg-config alone
command -v pkg-config >/dev/null || skip "pkg-config not installed"
p="$T/prefix"
mkdir -p "$p/lib/pkgconfig" "$p/include"
"$top_builddir/libtool" --quiet --mode=install install -c \
	"$top_builddir/lib/libvhkey.la" "$p/lib" >/dev/null
cp "$top_builddir/include/vhkey.h" "$p/include/"
sed "s|^prefix=.*|prefix=$p|" "$top_builddir/libvhkey.pc" \
	>"$p/lib/pkgconfig/libvhkey.pc"
cat >"$T/consumer.c" <<'C'
#include <stdio.h>
#include <vhkey.h>
int main(void) {
	vhkey *k = NULL;
	char fp[VHKEY_FINGERPRINT_MAX];
	if (vhkey_init() != VHKEY_OK) return 1;
	if (vhkey_generate(VHKEY_TYPE_RSA, 2048, "consumer", &k) != VHKEY_OK) return 1;
	if (vhkey_fingerprint(k, VHKEY_HASH_SHA256, fp, sizeof fp) != VHKEY_OK) return 1;
	printf("%u %s\n", vhkey_get_bits(k), fp);
	vhkey_free(k);
	return 0;
}
C
export PKG_CONFIG_PATH="$p/lib/pkgconfig"
# build_consumer NAME: $T/NAME.c against the installed copy, with pkg-config
# and the library's own compiler and flags (a library built with
# -fsanitize needs its runtime in the program too)
build_consumer() {
	# shellcheck disable=SC2086
	${VHKEY_BUILD_CC:-cc} -Wall -Wextra -Werror -o "$T/$1" "$T/$1.c" \
		$(pkg-config --cflags --libs libvhkey) || fail "$1 does not build"
}
build_consumer consumer
out=$(LD_LIBRARY_PATH="$p/lib" "$T/consumer") || fail "consumer failed"
case "$out" in
"2048 SHA256:"*) echo "consumer: $out" ;;
*) fail "consumer printed '$out'" ;;
esac

# One version, configure's (AC_INIT): the installed header's, the
# library's, the .pc file's and the tools'.
: "${PACKAGE_VERSION:?run through make check}"
cat >"$T/version.c" <<'C'
#include <stdio.h>
#include <vhkey.h>
int main(void) {
	printf("%s %s\n", VHKEY_VERSION_STRING, vhkey_version());
	return 0;
}
C
build_consumer version
v=$PACKAGE_VERSION
expect_eq "header and library version" \
	"$(LD_LIBRARY_PATH="$p/lib" "$T/version")" "$v $v"
expect_eq "pkg-config version" "$(pkg-config --modversion libvhkey)" "$v"
expect_eq "vhkeygen --version" "$("$VHKEYGEN" -N '' --version)" \
	"vhkeygen (libvhkey) $v"
expect_eq "vhkeycheck --version" \
	"$("$top_builddir/tools/vhkeycheck" --version)" "vhkeycheck (libvhkey) $v"
echo "version: $v everywhere"
