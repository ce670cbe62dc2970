/*
 * authline.c - an authorized_keys line: its type name, its key data
 * (gathered from runs of base64, also when wrapped or broken by spaces,
 * and ending where a key decodes), and the comment after it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "paste.h"

static int
add_chunk(struct paste *p, size_t start, size_t end, int nl, int tab)
{
	struct chunk *c;
	int rc;

	if (p->chunks == NULL) {
		p->chunks = p->first_chunks;
		p->chunkcap = sizeof(p->first_chunks) / sizeof(p->first_chunks[0]);
	}
	if (p->nchunks == p->chunkcap) {
		size_t cap = 2 * p->chunkcap;
		if ((c = malloc(cap * sizeof(*c))) == NULL)
			return VHKEY_ERR_NOMEM;
		memcpy(c, p->chunks, p->nchunks * sizeof(*c));
		if (p->chunks != p->first_chunks)
			free(p->chunks);
		p->chunks = c;
		p->chunkcap = cap;
	}
	if ((rc = vk_put_bytes(&p->b64, p->s + start, end - start)) !=
	    VHKEY_OK)
		return rc;
	c = &p->chunks[p->nchunks++];
	c->start = start;
	c->end = end;
	c->b64len = p->b64.len;
	c->newline_before = nl;
	c->tab_before = tab;
	return VHKEY_OK;
}

/* The runs of base64 after the type name, over blanks and line breaks;
 * *stop is where the first other token starts (or the end). */
static int
gather_chunks(struct paste *p, size_t i, size_t *stop)
{
	int rc;

	for (;;) {
		int tab = 0, nl = 0;
		size_t start = skip_space(p, i, 1, &tab, &nl), end;
		*stop = start;
		if (start >= p->len)
			return VHKEY_OK;
		end = token_end(p, start);
		if (!b64_token(p->s + start, end - start))
			return VHKEY_OK;
		if ((rc = add_chunk(p, start, end, nl, tab)) != VHKEY_OK)
			return rc;
		i = end;
		if (p->s[end - 1] == '=') { /* padding ends the data */
			*stop = skip_space(p, i, 1, &tab, &nl);
			return VHKEY_OK;
		}
	}
}

/* The first character of a token that base64 cannot hold. */
static int
reject_bad_char(struct paste *p, size_t start, size_t end, const char *type,
    size_t typelen)
{
	char buf[32], ch[32];
	size_t i, n;
	unsigned cp;

	/* padding only at the end */
	for (i = start; i < end; i++)
		if (!vk_is_b64_char(p->s[i]) &&
		    (p->s[i] != '=' || strspn(p->s + i, "=") < end - i))
			break;
	if (i == end)
		i = start;
	if ((unsigned char)p->s[i] > ' ' && (unsigned char)p->s[i] < 0x7f)
		snprintf(ch, sizeof(ch), "'%c'", p->s[i]);
	else if ((n = vk_utf8_len((const unsigned char *)p->s + i, end - i,
		      &cp)) > 1 &&
	    cp >= 0xa0)
		snprintf(ch, sizeof(ch), "'%.*s' (U+%04X)", (int)n, p->s + i, cp);
	else
		snprintf(ch, sizeof(ch), "byte 0x%02x", (unsigned char)p->s[i]);
	return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
	    "The key data%s (the long part after %.*s) is not valid base64: "
	    "the %s at its character %zu cannot be there. The text was "
	    "changed after it was copied. " RECOPY,
	    on_line(p, start, buf, sizeof(buf)), (int)typelen, type, ch,
	    i - start + 1);
}

/* Does the key data's type name (the blob's first string) match the
 * line's?  0 and a verdict in *rc when not. */
static int
type_matches(struct paste *p, const uint8_t *blob, size_t len,
    const char *type, size_t typelen, int *rc)
{
	const char *name;
	size_t namelen;

	if (!vk_blob_name(p, blob, len, &name, &namelen, rc))
		return 0;
	if (namelen != typelen || memcmp(name, type, typelen) != 0) {
		*rc = vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "The line starts with %.*s, but the key data is an %.*s "
		    "key: the type name was changed, or two keys were mixed "
		    "up. " RECOPY,
		    (int)typelen, type, (int)namelen, name);
		return 0;
	}
	return 1;
}

static void
remember_key(struct paste *p, vhkey *key, size_t b64len)
{
	vhkey *copy;

	/* with its fingerprint, which the key keeps for its report too:
	 * hashed once */
	if (vk_key_keep_fingerprint(key, p->policy) != VHKEY_OK ||
	    vk_key_public_copy(key, &copy) != VHKEY_OK)
		return;
	vk_memo_put(p->keys, p->b64.data, b64len, (uint64_t)(uintptr_t)copy);
}

/* The line's key data decoded before to known: what find_key_end() gives
 * for it, the type name still checked against this line's. */
static int
known_key(struct paste *p, const vhkey *known, const char *type,
    size_t typelen, size_t *last, vhkey **key)
{
	int rc;

	if (!type_matches(p, known->blob, known->bloblen, type, typelen, &rc))
		return rc;
	if ((rc = vk_key_public_copy(known, key)) != VHKEY_OK)
		return rc;
	*last = 0;
	return VHKEY_OK;
}

/*
 * Which chunks make the key: the data ends where the chunks end and the
 * key's top-level strings end at the same place, and there a key decodes.
 * Chunks after it are the comment (padding cannot tell where unpadded key
 * data ends, and a comment word may well be valid base64).  The index of
 * the last chunk of the key, or a verdict.
 */
static int
find_key_end(struct paste *p, const char *type, size_t typelen, size_t stop,
    size_t *last, vhkey **key, const char *where)
{
	size_t m = 0, boundary = 0, k;
	uint64_t known;
	vk_reader rd;
	int rc, last_rc = VHKEY_ERR_TRUNCATED, tried = 0;

	for (k = 0; k < p->nchunks; k++)
		if (p->chunks[k].b64len % 4 == 0)
			m = p->chunks[k].b64len;
	if (p->nchunks == 1 && m > 0 &&
	    vk_memo_get(p->keys, p->b64.data, m, &known))
		return known_key(p, (const vhkey *)(uintptr_t)known, type,
		    typelen, last, key);
	if (m == 0)
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "The key data%s is incomplete: its length is not a whole "
		    "number of base64 groups, so part of it was lost in "
		    "copying. " RECOPY,
		    where);
	if ((rc = vk_decode_b64(p, m)) != VHKEY_OK)
		return rc == VHKEY_ERR_BASE64 ?
		    vk_paste_reject(p, VHKEY_REASON_MALFORMED,
			"The key data%s is not valid base64 ('=' in the wrong "
			"place, or a last character that does not fit). " RECOPY,
			where) :
		    rc;
	if (vk_private_format_bin(p->bin.data, p->bin.len) != NULL)
		return vk_reject_private(p,
		    vk_private_format_bin(p->bin.data, p->bin.len));
	if (!type_matches(p, p->bin.data, p->bin.len, type, typelen, &rc))
		return rc;
	vk_reader_init(&rd, p->bin.data, p->bin.len);
	for (k = 0; k < p->nchunks && p->chunks[k].b64len <= m; k++) {
		size_t b64len = p->chunks[k].b64len, pad = 0, declen;
		if (b64len % 4 != 0)
			continue;
		while (pad < 2 && p->b64.data[b64len - 1 - pad] == '=')
			pad++;
		declen = b64len / 4 * 3 - pad;
		while (boundary < declen) {
			const uint8_t *sp;
			size_t sl;
			if (vk_get_string(&rd, &sp, &sl) != VHKEY_OK)
				break;
			boundary = rd.off;
		}
		if (boundary != declen)
			continue;
		tried = 1;
		if ((last_rc = vk_key_from_blob(p->bin.data, declen, key)) ==
		    VHKEY_OK) {
			*last = k;
			p->bin.len = declen;
			if (p->nchunks == 1 && p->keys != NULL &&
			    m <= VK_KEY_MEMO_MAX_B64)
				remember_key(p, *key, m);
			return VHKEY_OK;
		}
		if (last_rc == VHKEY_ERR_NOMEM)
			return last_rc;
	}
	if (!tried)
		last_rc = vk_key_from_blob(p->bin.data, p->bin.len, key);
	if (last_rc == VHKEY_OK) { /* cannot be: it ends at a boundary */
		vhkey_free(*key);
		*key = NULL;
		last_rc = VHKEY_ERR_FORMAT;
	}
	/* cut short by a stray character in what would have followed? */
	if (last_rc == VHKEY_ERR_TRUNCATED && stop < p->len &&
	    token_end(p, stop) - stop >= 16)
		return reject_bad_char(p, stop, token_end(p, stop), type,
		    typelen);
	return vk_reject_blob(p, last_rc, where);
}

/*
 * How the key data, chunks 0 to last, was broken up: tabs, spaces inside
 * it and line breaks noted in p->fixes.  Returns the number of lines it
 * was spread over.
 */
static size_t
data_breaks(struct paste *p, size_t last)
{
	size_t lines = 1;

	for (size_t k = 0; k <= last; k++) {
		if (p->chunks[k].tab_before)
			p->fixes |= VK_FIX_TABS;
		if (k > 0 && p->chunks[k].newline_before)
			lines++;
		else if (k > 0)
			p->fixes |= VK_FIX_SPACES_IN_DATA;
	}
	if (p->chunks[0].newline_before)
		lines++;
	if (lines > 1)
		p->fixes |= VK_FIX_WRAPPED;
	return lines;
}

/*
 * The comment that starts at cs (*clen bytes on the key's line) and goes
 * on over the lines from rest to the end: the lines joined by one space,
 * each without its outer blanks.  A new string with its length in *clen,
 * or NULL when out of memory.
 */
static char *
joined_comment(const struct paste *p, size_t cs, size_t rest, size_t *clen)
{
	char *comment;
	size_t n = *clen;

	if ((comment = malloc(p->len - cs + 1)) == NULL)
		return NULL;
	memcpy(comment, p->s + cs, n);
	for (size_t pos = rest; pos < p->len;) {
		size_t le = line_end(p, pos), b = pos;
		while (le > b && vk_is_blank(p->s[le - 1]))
			le--;
		while (b < le && vk_is_blank(p->s[b]))
			b++;
		if (le > b) {
			if (n > 0)
				comment[n++] = ' ';
			memcpy(comment + n, p->s + b, le - b);
			n += le - b;
		}
		pos = line_end(p, pos) + 1;
	}
	*clen = n;
	return comment;
}

int
vk_check_line_key(struct paste *p, size_t ts)
{
	size_t te = token_end(p, ts), stop, last = 0, cs, ce, eol, rest, wl;
	const char *type = p->s + ts;
	size_t typelen = te - ts;
	enum vk_name_kind kind = vk_name_kind(type, typelen, NULL);
	vhkey *key = NULL;
	char where[32];
	int rc, tab = 0, nl = 0;
	char *comment = NULL;
	const char *key_b64;
	size_t clen, key_b64len;

	if ((rc = gather_chunks(p, te, &stop)) != VHKEY_OK)
		return rc;
	if (p->nchunks == 0) {
		size_t e = token_end(p, stop);
		if (stop < p->len && line_of(p, stop) == line_of(p, ts))
			return reject_bad_char(p, stop, e, type, typelen);
		return vk_paste_reject(p, VHKEY_REASON_MALFORMED,
		    "There is no key data after %.*s: the long base64 part "
		    "that follows the type name is missing. " RECOPY,
		    vk_quotable(type, typelen) ? (int)typelen : 8,
		    vk_quotable(type, typelen) ? type : "the type");
	}
	if (kind != VK_NAME_SUPPORTED)
		return vk_reject_name(p, kind, type, typelen);
	rc = find_key_end(p, type, typelen, stop, &last, &key,
	    on_line(p, p->chunks[0].start, where, sizeof(where)));
	if (key == NULL)
		return rc;
	/* the key's data, gathered: what its blob decoded from */
	key_b64 = (const char *)p->b64.data;
	key_b64len = p->chunks[last].b64len;
	p->key_start = p->chunks[0].start;
	p->key_end = p->chunks[last].end;

	wl = data_breaks(p, last);

	/* the comment: the rest of the line */
	eol = line_end(p, p->chunks[last].end);
	cs = skip_space(p, p->chunks[last].end, 0, &tab, &nl);
	ce = eol;
	while (ce > cs && vk_is_blank(p->s[ce - 1]))
		ce--;
	if (cs < ce && tab)
		p->fixes |= VK_FIX_TABS;
	if (vk_another_key(p, cs, ce) < ce) {
		rc = vk_reject_extra(p, cs, "the key");
		goto out;
	}
	clen = ce - cs;
	rest = eol;
	tab = nl = 0;
	rest = skip_space(p, rest, 1, &tab, &nl);
	if (rest < p->len) {
		/* more lines: another key, junk, or the comment going on */
		if (vk_another_key(p, rest, p->len) < p->len ||
		    !((p->fixes & VK_FIX_WRAPPED) || clen == 0)) {
			rc = vk_reject_extra(p, rest, "the key");
			goto out;
		}
		if ((comment = joined_comment(p, cs, rest, &clen)) == NULL) {
			rc = VHKEY_ERR_NOMEM;
			goto out;
		}
		p->fixes |= VK_FIX_COMMENT_JOINED;
		if (!vk_comment_with_key(p, comment, clen, &rc))
			rc = vk_paste_finish(p, &key, comment, clen, wl, key_b64,
			    key_b64len);
	} else {
		rc = vk_paste_finish(p, &key, p->s + cs, clen, wl, key_b64,
		    key_b64len);
	}
out:
	free(comment);
	vhkey_free(key);
	return rc;
}
