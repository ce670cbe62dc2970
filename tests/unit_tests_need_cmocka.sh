#!/bin/bash
# Stands in for the unit tests in a build configured without cmocka (none
# found, or --without-cmocka): they were not built, and make check says so
# with a skip instead of passing without them.
. "$top_srcdir/tests/lib.sh"
skip "the unit tests (tests/test_*.c) were not built: configure found no" \
	"cmocka, or was given --without-cmocka; install libcmocka-dev and" \
	"re-run configure (--with-cmocka makes its absence an error)"
