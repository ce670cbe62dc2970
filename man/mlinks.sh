#!/bin/sh
# mlinks.sh - the link pages of the library manual.
#
# Each page of a group of calls names every function of the group in its
# NAME section (.Nm lines), as libtls's pages do.  Every name but the page's
# own gets a one-line page of that name which sources the group's page,
# ".so man3/vhkey_check_paste.3", so that "man vhkey_check_paste_fd" finds
# it.  The NAME sections are the one list: a function added to a page's NAME
# is installed under its name with nothing else to change.
#
# .so pages, not symbolic or hard links: man-db, mandoc and groff all read
# them, packagers that compress pages rewrite them (a symlink to page.3 would
# dangle next to page.3.gz), and they survive any archive format.
#
#   mlinks.sh list SRCDIR PAGE...           print "page name" for each link
#   mlinks.sh install DESTDIR SRCDIR PAGE...   write the link pages to DESTDIR
#   mlinks.sh uninstall DESTDIR SRCDIR PAGE... remove them from DESTDIR
#
# PAGE is a path under SRCDIR, such as man/vhkey_check_paste.3.
set -eu

# the names in the NAME section of page $1, one a line
names() {
	sed -n '/^\.Sh NAME/,/^\.Sh /s/^\.Nm[ 	][ 	]*\([A-Za-z0-9_]*\).*/\1/p' "$1"
}

# "page name" for each link of the pages "$@" under srcdir $1
list() {
	srcdir=$1
	shift
	for page in "$@"; do
		base=${page##*/}
		for name in $(names "$srcdir/$page"); do
			[ "$name.${base##*.}" = "$base" ] || echo "$base $name"
		done
	done
}

cmd=${1:?usage: mlinks.sh list|install|uninstall ...}
shift
case $cmd in
list)
	list "$@"
	;;
install)
	dir=$1
	shift
	mkdir -p "$dir"
	list "$@" | while read -r base name; do
		sect=${base##*.}
		rm -f "$dir/$name.$sect"
		printf '.so man%s/%s\n' "$sect" "$base" >"$dir/$name.$sect"
		chmod 644 "$dir/$name.$sect"
	done
	;;
uninstall)
	dir=$1
	shift
	list "$@" | while read -r base name; do
		rm -f "$dir/$name.${base##*.}"
	done
	;;
*)
	echo "mlinks.sh: unknown command $cmd" >&2
	exit 2
	;;
esac
