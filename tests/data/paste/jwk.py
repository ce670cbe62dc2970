#!/usr/bin/env python3
# jwk.py - a PEM private key (RSA or P-256) as a JSON Web Key (RFC 7517/7518)
# with its private members, for the fixtures priv-jwk-*: see generate.sh.
import base64, json, sys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa, ec
def b64u(n, size=None):
    size = size or (n.bit_length() + 7) // 8
    return base64.urlsafe_b64encode(n.to_bytes(size, 'big')).rstrip(b'=').decode()
k = serialization.load_pem_private_key(open(sys.argv[1], 'rb').read(), None)
if isinstance(k, rsa.RSAPrivateKey):
    pn, pv = k.public_key().public_numbers(), k.private_numbers()
    j = {"kty": "RSA", "n": b64u(pn.n), "e": b64u(pn.e), "d": b64u(pv.d), "p": b64u(pv.p),
         "q": b64u(pv.q), "dp": b64u(pv.dmp1), "dq": b64u(pv.dmq1), "qi": b64u(pv.iqmp)}
else:
    pn, pv = k.public_key().public_numbers(), k.private_numbers()
    j = {"kty": "EC", "crv": "P-256", "x": b64u(pn.x, 32), "y": b64u(pn.y, 32), "d": b64u(pv.private_value, 32)}
print(json.dumps(j, indent=2))
