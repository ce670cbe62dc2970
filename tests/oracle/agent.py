"""A tiny ssh-agent for the oracle: it holds one identity at a time and signs
with it, so that sshd can be asked about keys no ssh -i can use.

Three kinds of signer:
  - a real key held in Python (security-key types, which need a token
    otherwise);
  - an RSA key of which we know a working private exponent, however weak
    the modulus (a prime, a prime power, many small primes...);
  - an Ed25519 or sk-Ed25519 key of small order, for which anyone can
    forge a signature: if sshd lets such a login in, anyone can log in.

Only the agent protocol messages ssh sends for a login are answered
(REQUEST_IDENTITIES, SIGN_REQUEST); anything else gets FAILURE.
"""

import hashlib
import os
import socket
import struct
import threading

# ------------------------------------------------------------ wire format


def u32(n):
    return struct.pack(">I", n)


def sstr(b):
    if isinstance(b, str):
        b = b.encode()
    return u32(len(b)) + b


def mpint(n):
    if n == 0:
        return sstr(b"")
    b = n.to_bytes((n.bit_length() + 8) // 8, "big")
    return sstr(b)


class Reader:
    def __init__(self, data):
        self.data = data
        self.pos = 0

    def u32(self):
        v = struct.unpack(">I", self.data[self.pos:self.pos + 4])[0]
        self.pos += 4
        return v

    def string(self):
        n = self.u32()
        v = self.data[self.pos:self.pos + n]
        self.pos += n
        return v


# ------------------------------------------------------- edwards25519 math

P = 2**255 - 19
D = (-121665 * pow(121666, P - 2, P)) % P
L = 2**252 + 27742317777372353535851937790883648493
SQRT_M1 = pow(2, (P - 1) // 4, P)
IDENTITY = (0, 1)


def inv(x):
    return pow(x, P - 2, P)


def add(p1, p2):
    """Complete twisted Edwards addition (a = -1), affine."""
    x1, y1 = p1
    x2, y2 = p2
    t = D * x1 * x2 * y1 * y2 % P
    x3 = (x1 * y2 + x2 * y1) * inv(1 + t) % P
    y3 = (y1 * y2 + x1 * x2) * inv(1 - t) % P
    return (x3, y3)


def neg(pt):
    return ((-pt[0]) % P, pt[1])


def mul(k, pt):
    acc = IDENTITY
    while k:
        if k & 1:
            acc = add(acc, pt)
        pt = add(pt, pt)
        k >>= 1
    return acc


def recover_x(y, sign):
    """x for y, as RFC 8032 5.1.3 decodes it; None if not on the curve."""
    y %= P
    u = (y * y - 1) % P
    v = (D * y * y + 1) % P
    x = u * pow(v, 3, P) * pow(u * pow(v, 7, P), (P - 5) // 8, P) % P
    if v * x * x % P == (-u) % P:
        x = x * SQRT_M1 % P
    if v * x * x % P != u:
        return None
    if x & 1 != sign:
        x = (-x) % P
    return x


def decode_point(b):
    """Decode leniently, as OpenSSH's ref10 code does: y is reduced mod p and
    the sign of x = 0 is ignored."""
    n = int.from_bytes(b, "little")
    sign = n >> 255
    y = n & ((1 << 255) - 1)
    x = recover_x(y, sign)
    return None if x is None else (x, y % P)


def encode_point(pt):
    x, y = pt
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


BASE = (recover_x(4 * inv(5) % P, 0), 4 * inv(5) % P)


def small_order_encodings():
    """Every 32-byte string that decodes to a point of order dividing 8:
    the canonical encodings, x = 0 with the sign bit set, and y >= p."""
    points = set()
    # the torsion points are [L]Q for any point Q, times 0..7
    q = decode_point(bytes.fromhex(
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"))
    for j in range(8):
        points.add(mul(j, q))
    out = []
    for pt in sorted(points):
        x, y = pt
        for yy in (y, y + P):
            if yy >= 2**255:
                continue
            for sign in (0, 1):
                if sign != (x & 1) and x != 0:
                    continue
                enc = (yy | (sign << 255)).to_bytes(32, "little")
                if decode_point(enc) == pt:
                    out.append(enc)
    return sorted(set(out))


def point_order(pt):
    for o in (1, 2, 4, 8):
        if mul(o, pt) == IDENTITY:
            return o
    return None


def forge_ed25519(pub, msg):
    """A signature (R || S) that a cofactorless verifier, as OpenSSH's, takes
    for public key bytes `pub` of small order: it checks
    encode([S]B - [k]A) == R with k = H(R || A || M) mod L.  With
    R = [S]B - [j]A it holds when k = j modulo the order of A, which a few
    tries find."""
    a = decode_point(pub)
    if a is None:
        return None
    ja = [mul(j, a) for j in range(8)]
    sb = IDENTITY
    for s in range(1, 4096):
        sb = add(sb, BASE)
        for j in range(8):
            r = encode_point(add(sb, neg(ja[j])))
            k = int.from_bytes(hashlib.sha512(r + pub + msg).digest(),
                               "little") % L
            if ja[k % 8] == ja[j]:
                return r + s.to_bytes(32, "little")
    return None


# ----------------------------------------------------------------- signers

SK_APP = b"ssh:"
SK_FLAGS = 0x01  # user present
SK_COUNTER = 1


def sk_message(data):
    return (hashlib.sha256(SK_APP).digest() + bytes([SK_FLAGS]) +
            u32(SK_COUNTER) + hashlib.sha256(data).digest())


def sk_tail():
    return bytes([SK_FLAGS]) + u32(SK_COUNTER)


class Identity:
    """A public key blob and how to sign for it."""

    def __init__(self, blob, sign):
        self.blob = blob
        self.sign = sign  # (data, flags) -> signature blob, or None


def forged_ed25519_identity(pub, sk=False):
    if sk:
        blob = sstr("sk-ssh-ed25519@openssh.com") + sstr(pub) + sstr(SK_APP)

        def sign(data, flags):
            sig = forge_ed25519(pub, sk_message(data))
            if sig is None:
                return None
            return (sstr("sk-ssh-ed25519@openssh.com") + sstr(sig) +
                    sk_tail())
    else:
        blob = sstr("ssh-ed25519") + sstr(pub)

        def sign(data, flags):
            sig = forge_ed25519(pub, data)
            return None if sig is None else sstr("ssh-ed25519") + sstr(sig)
    return Identity(blob, sign)


def sk_ed25519_identity(private_key):
    """A security-key Ed25519 key whose 'token' is a key held here."""
    from cryptography.hazmat.primitives import serialization
    pub = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    blob = sstr("sk-ssh-ed25519@openssh.com") + sstr(pub) + sstr(SK_APP)

    def sign(data, flags):
        sig = private_key.sign(sk_message(data))
        return sstr("sk-ssh-ed25519@openssh.com") + sstr(sig) + sk_tail()
    return Identity(blob, sign)


def sk_ecdsa_identity(private_key):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, utils
    point = private_key.public_key().public_bytes(
        serialization.Encoding.X962,
        serialization.PublicFormat.UncompressedPoint)
    name = "sk-ecdsa-sha2-nistp256@openssh.com"
    blob = sstr(name) + sstr("nistp256") + sstr(point) + sstr(SK_APP)

    def sign(data, flags):
        der = private_key.sign(sk_message(data), ec.ECDSA(hashes.SHA256()))
        r, s = utils.decode_dss_signature(der)
        return sstr(name) + sstr(mpint(r) + mpint(s)) + sk_tail()
    return Identity(blob, sign)


def ecdsa_identity(private_key):
    """Plain ECDSA signed here: ssh itself refuses to load a private key
    as small as 1, an agent is not asked."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, utils
    bits = private_key.curve.key_size
    curve = {256: "nistp256", 384: "nistp384", 521: "nistp521"}[bits]
    hfn = {256: hashes.SHA256, 384: hashes.SHA384, 521: hashes.SHA512}[bits]
    point = private_key.public_key().public_bytes(
        serialization.Encoding.X962,
        serialization.PublicFormat.UncompressedPoint)
    name = "ecdsa-sha2-" + curve
    blob = sstr(name) + sstr(curve) + sstr(point)

    def sign(data, flags):
        der = private_key.sign(data, ec.ECDSA(hfn()))
        r, s = utils.decode_dss_signature(der)
        return sstr(name) + sstr(mpint(r) + mpint(s))
    return Identity(blob, sign)


DIGEST_INFO = {
    "rsa-sha2-256": (hashlib.sha256, bytes.fromhex(
        "3031300d060960864801650304020105000420")),
    "rsa-sha2-512": (hashlib.sha512, bytes.fromhex(
        "3051300d060960864801650304020305000440")),
}
AGENT_RSA_SHA2_256 = 2
AGENT_RSA_SHA2_512 = 4


def rsa_identity(n, e, d):
    """RSA with a private exponent we know, whatever n is made of."""
    blob = sstr("ssh-rsa") + mpint(e) + mpint(n)
    size = (n.bit_length() + 7) // 8

    def sign(data, flags):
        alg = "rsa-sha2-512" if flags & AGENT_RSA_SHA2_512 else \
            "rsa-sha2-256"
        hfn, prefix = DIGEST_INFO[alg]
        t = prefix + hfn(data).digest()
        if size < len(t) + 11:
            return None
        em = b"\x00\x01" + b"\xff" * (size - len(t) - 3) + b"\x00" + t
        s = pow(int.from_bytes(em, "big"), d, n)
        return sstr(alg) + sstr(s.to_bytes(size, "big"))
    return Identity(blob, sign)


# ------------------------------------------------------------------- agent

SSH_AGENT_FAILURE = 5
SSH_AGENTC_REQUEST_IDENTITIES = 11
SSH_AGENT_IDENTITIES_ANSWER = 12
SSH_AGENTC_SIGN_REQUEST = 13
SSH_AGENT_SIGN_RESPONSE = 14


class Agent:
    """Listens on a UNIX socket in a thread; offers self.identity (or
    nothing) and counts the signatures it made."""

    def __init__(self, path):
        self.path = path
        self.identity = None
        self.signed = 0
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        os.chmod(path, 0o600)
        self.sock.listen(8)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def close(self):
        try:
            self.sock.close()
        finally:
            try:
                os.unlink(self.path)
            except OSError:
                pass

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._client, args=(conn,),
                             daemon=True).start()

    def _client(self, conn):
        with conn:
            conn.settimeout(30)
            try:
                while True:
                    hdr = self._read(conn, 4)
                    if hdr is None:
                        return
                    body = self._read(conn, struct.unpack(">I", hdr)[0])
                    if not body:
                        return
                    reply = self._answer(body[0], body[1:])
                    conn.sendall(u32(len(reply)) + reply)
            except OSError:
                return

    @staticmethod
    def _read(conn, n):
        buf = b""
        while len(buf) < n:
            chunk = conn.recv(n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return buf

    def _answer(self, kind, payload):
        ident = self.identity
        if kind == SSH_AGENTC_REQUEST_IDENTITIES:
            if ident is None:
                return bytes([SSH_AGENT_IDENTITIES_ANSWER]) + u32(0)
            return (bytes([SSH_AGENT_IDENTITIES_ANSWER]) + u32(1) +
                    sstr(ident.blob) + sstr("oracle"))
        if kind == SSH_AGENTC_SIGN_REQUEST and ident is not None:
            r = Reader(payload)
            blob, data, flags = r.string(), r.string(), r.u32()
            if blob == ident.blob:
                sig = ident.sign(data, flags)
                if sig is not None:
                    self.signed += 1
                    return bytes([SSH_AGENT_SIGN_RESPONSE]) + sstr(sig)
        return bytes([SSH_AGENT_FAILURE])
