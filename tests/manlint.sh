#!/bin/bash
# The man pages are clean under mandoc -Tlint.
. "$top_srcdir/tests/lib.sh"
require "${MANDOC:-}" mandoc
for page in "$top_srcdir"/man/*.[0-9]; do
	# style messages (such as a stale mandoc.db) depend on the machine
	out=$("$MANDOC" -Tlint -W warning "$page" 2>&1) || true
	[ -z "$out" ] || fail "mandoc -Tlint $page: $out"
	echo "clean: $(basename "$page")"
done
