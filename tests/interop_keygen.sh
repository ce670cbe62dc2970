#!/bin/bash
# Against the real OpenSSH ssh-keygen: it reads our keys, we read its keys,
# and the fingerprints agree.
. "$top_srcdir/tests/lib.sh"
require "${SSH_KEYGEN:-}" ssh-keygen
cd "$T"

# ours -> ssh-keygen
for bits in 2048 3072 4096; do
	"$VHKEYGEN" -N '' -q -b "$bits" -C "ours $bits" -f "ours$bits"
	# ssh-keygen -y derives our public line from our private key
	y=$("$SSH_KEYGEN" -y -f "ours$bits") || fail "ssh-keygen -y refused ours$bits"
	expect_eq "-y ours$bits" "$y" "$(cat "ours$bits.pub")"
	for f in "ours$bits" "ours$bits.pub"; do
		expect_eq "-l $f" "$("$KEYINFO" "$f")" "$("$SSH_KEYGEN" -l -f "$f")"
		expect_eq "-l -E md5 $f" "$("$KEYINFO" -E md5 "$f")" \
			"$("$SSH_KEYGEN" -l -E md5 -f "$f")"
	done
	# ssh-keygen rewrites our key (new comment) and we read its rewrite
	cp "ours$bits" "rewritten$bits"
	"$SSH_KEYGEN" -q -c -C "rewritten" -f "rewritten$bits" >/dev/null
	expect_eq "rewrite" "$("$KEYINFO" "rewritten$bits" | cut -d' ' -f1,2,3)" \
		"$("$KEYINFO" "ours$bits" | cut -d' ' -f1,2) rewritten"
	# OpenSSL's own RSA check on our key, via PKCS#1 export
	if command -v openssl >/dev/null; then
		cp "ours$bits" "pem$bits"
		"$SSH_KEYGEN" -q -p -m PEM -N '' -P '' -f "pem$bits" >/dev/null
		openssl rsa -check -noout -in "pem$bits" 2>&1 | grep -q "RSA key ok" ||
			fail "openssl rsa -check on ours$bits"
	fi
	echo "ours$bits: ssh-keygen agrees"
done

# ssh-keygen -> ours
for bits in 2048 3072 4096; do
	"$SSH_KEYGEN" -q -t rsa -b "$bits" -N '' -C "theirs $bits" -f "theirs$bits"
	for f in "theirs$bits" "theirs$bits.pub"; do
		expect_eq "-l $f" "$("$KEYINFO" "$f")" "$("$SSH_KEYGEN" -l -f "$f")"
		expect_eq "-l -E md5 $f" "$("$KEYINFO" -E md5 "$f")" \
			"$("$SSH_KEYGEN" -l -E md5 -f "$f")"
	done
	expect_eq "-y theirs$bits" "$("$KEYINFO" -y "theirs$bits")" \
		"$(cat "theirs$bits.pub")"
	echo "theirs$bits: we agree"
done

# a passphrase-protected key from ssh-keygen is refused by name
"$SSH_KEYGEN" -q -t rsa -b 2048 -N 'secret' -f locked
if "$KEYINFO" locked 2>err; then fail "read an encrypted key"; fi
grep -q "protected by a passphrase" err || fail "encrypted: $(cat err)"
echo "interop with ssh-keygen: all checks passed"
