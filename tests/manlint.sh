#!/bin/bash
# The manual: clean under mandoc -Tlint; every function vhkey.h declares is
# named on a page of the library manual; and "make install" installs a page
# under each such name, which "make uninstall" removes again.
. "$top_srcdir/tests/lib.sh"
require "${MANDOC:-}" mandoc
require "$(command -v perl || true)" perl

for page in "$top_srcdir"/man/*.[0-9]; do
	# style messages (such as a stale mandoc.db) depend on the machine
	out=$("$MANDOC" -Tlint -W warning "$page" 2>&1) || true
	[ -z "$out" ] || fail "mandoc -Tlint $page: $out"
	echo "clean: $(basename "$page")"
done

# The functions the header declares, from the header itself: comments and
# preprocessor lines out, then the name before the first "(" of each
# VHKEY_API declaration.
perl -0777 -ne '
	s{/\*.*?\*/}{}gs;
	s/^[ \t]*#(?:.*\\\n)*.*$//mg;
	print "$1\n" while /\bVHKEY_API\b[^;{}]*?\b(vhkey_\w+)\s*\(/g;
' "$top_builddir/include/vhkey.h" | sort -u >"$T/declared"
[ "$(wc -l <"$T/declared")" -gt 50 ] ||
	fail "found only $(wc -l <"$T/declared") functions in vhkey.h"

# The names the library pages give in NAME: their own and their links.
(
	cd "$top_srcdir"
	for page in man/*.3; do
		base=${page##*/}
		echo "${base%.3}"
	done
	sh man/mlinks.sh list . man/*.3 | cut -d' ' -f2
) | sort -u >"$T/named"
missing=$(comm -23 "$T/declared" "$T/named")
[ -z "$missing" ] ||
	fail "declared in vhkey.h but named on no page in man/:" $missing
echo "named: $(wc -l <"$T/declared") functions of vhkey.h"

# What make install puts in man3: a page under each name, readable through
# its link.  (MAKEFLAGS would carry this make check's own settings.)
inst="$T/inst"
env -u MAKEFLAGS -u MFLAGS make -s -C "$top_builddir" install \
	DESTDIR="$inst" >"$T/install.log" 2>&1 ||
	fail "make install: $(cat "$T/install.log")"
man3=$(find "$inst" -type d -name man3 | head -n 1)
[ -n "$man3" ] || fail "make install installed no man3 directory"
for page in "$top_srcdir"/man/*.3; do
	[ -f "$man3/${page##*/}" ] || fail "${page##*/} not installed"
done
while read -r name; do
	[ -f "$man3/$name.3" ] || fail "no page $name.3 installed"
	# mandoc resolves .so from the top of the manual, as man does
	out=$(cd "$man3/.." && "$MANDOC" -Tascii "man3/$name.3" 2>&1) ||
		fail "mandoc man3/$name.3: $out"
	out=$(sed $'s/.\b//g' <<<"$out") # no overstrike
	grep -q "$name" <<<"$out" || fail "man3/$name.3 does not show $name"
done <"$T/declared"
echo "installed: $(find "$man3" -name '*.3' | wc -l) pages in man3"

env -u MAKEFLAGS -u MFLAGS make -s -C "$top_builddir" uninstall \
	DESTDIR="$inst" >"$T/uninstall.log" 2>&1 ||
	fail "make uninstall: $(cat "$T/uninstall.log")"
left=$(find "$man3" -type f -o -type l)
[ -z "$left" ] || fail "left after make uninstall:" $left
echo "uninstalled"
