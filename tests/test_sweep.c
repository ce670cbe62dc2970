/* test_sweep.c - a sweep of malformed input through the paste checker:
 * truncations at every length of a real key, every single-byte change of
 * a short key's data, hostile length fields, huge inputs, binary garbage,
 * NUL bytes, invalid UTF-8, very long lines.  Each gets a clean verdict
 * (a report, a reason and a message when rejected), in bounded time and
 * memory. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <cmocka.h>

#include <sodium.h>

#include "vhkey.h"
#include "testutil.h"

#define NOW ((time_t)1764000000)

static size_t swept, accepted;
static double worst_ms;

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One input: a report, and a rejection that says why. */
static void
sweep(const void *text, size_t len)
{
	vhkey_report *r = NULL;
	char *json = NULL;
	double t0 = now_ms(), ms;

	assert_int_equal(vhkey_check_paste(text, len, NULL, NOW, &r), VHKEY_OK);
	assert_non_null(r);
	ms = now_ms() - t0;
	if (ms > worst_ms)
		worst_ms = ms;
	/* a generous bound that a hang or a quadratic blow-up would pass */
	assert_true(ms < 2000);
	assert_int_equal(vhkey_report_to_json(r, &json), VHKEY_OK);
	if (vhkey_report_verdict(r) == VHKEY_REJECTED) {
		assert_non_null(vhkey_reason_name(vhkey_report_reason(r)));
		assert_true(strlen(vhkey_report_message(r)) > 20);
	} else {
		assert_non_null(vhkey_report_key(r));
		accepted++;
	}
	free(json);
	vhkey_report_free(r);
	swept++;
}

static char *
fixture_line(const char *name, size_t *len)
{
	char *text = tu_read_file(tu_data(name), len);

	assert_non_null(text);
	return text;
}

static void
test_truncations(void **state)
{
	size_t len;
	char *line = fixture_line("rsa2048.pub", &len);

	(void)state;
	for (size_t n = 0; n <= len; n++)
		sweep(line, n);
	free(line);
}

/* Every byte of an Ed25519 key's data changed to every 37th value. */
static void
test_byte_changes(void **state)
{
	size_t len, binlen;
	char *line = fixture_line("ed25519.pub", &len), *b64 = strchr(line, ' ');
	char *end = strchr(b64 + 1, ' '), *text;
	uint8_t *bin;

	(void)state;
	bin = tu_unb64(b64 + 1, (size_t)(end - b64 - 1), &binlen);
	for (size_t i = 0; i < binlen; i++) {
		uint8_t saved = bin[i];
		for (unsigned v = 1; v < 256; v += 37) {
			char *enc;
			bin[i] = (uint8_t)(saved ^ v);
			enc = tu_b64(bin, binlen);
			assert_true(asprintf(&text, "ssh-ed25519 %s c\n", enc) > 0);
			sweep(text, strlen(text));
			free(text);
			free(enc);
		}
		bin[i] = saved;
	}
	free(bin);
	free(line);
}

/* Length fields that lie: each string length in an RSA blob replaced. */
static void
test_hostile_lengths(void **state)
{
	static const uint32_t lies[] = { 0, 1, 0x7f, 0x80, 0xffff, 0x10000,
		0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff };
	size_t len, binlen;
	char *line = fixture_line("rsa2048.pub", &len), *b64 = strchr(line, ' ');
	char *end = strchr(b64 + 1, ' '), *text;
	uint8_t *bin;
	static const size_t at[] = { 0, 11, 18 }; /* name, e, n */

	(void)state;
	bin = tu_unb64(b64 + 1, (size_t)(end - b64 - 1), &binlen);
	for (size_t f = 0; f < 3; f++) {
		uint8_t saved[4];
		memcpy(saved, bin + at[f], 4);
		for (size_t i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
			char *enc;
			bin[at[f]] = lies[i] >> 24;
			bin[at[f] + 1] = lies[i] >> 16;
			bin[at[f] + 2] = lies[i] >> 8;
			bin[at[f] + 3] = lies[i];
			enc = tu_b64(bin, binlen);
			assert_true(asprintf(&text, "ssh-rsa %s\n", enc) > 0);
			sweep(text, strlen(text));
			free(text);
			free(enc);
		}
		memcpy(bin + at[f], saved, 4);
	}
	free(bin);
	free(line);
}

static void
test_garbage(void **state)
{
	static const char *const odd[] = {
		"", " ", "\n\n\n", "\0", "ssh-rsa\0AAAA", "ssh-rsa", "ssh-rsa ",
		"ssh-rsa AAAA\0AAAA", "\xff\xfe\xfd", "\xc0\xaf", "\xed\xa0\x80",
		"ssh-rsa \xe2\x82", "\xef\xbb\xbf", "\xef\xbb\xbf\xef\xbb\xbf",
		"-----BEGIN", "-----BEGIN PUBLIC KEY-----",
		"-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n",
		"---- BEGIN SSH2 PUBLIC KEY ----\n", "---- BEGIN SSH2 PUBLIC KEY "
		"----\nComment: \"x\\\n\\\n\\\n\n---- END SSH2 PUBLIC KEY ----\n",
		"-----BEGIN RSA PUBLIC KEY-----\nMAA=\n-----END RSA PUBLIC KEY-----",
		"-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKC"
		"\n-----END PUBLIC KEY-----\n",
		"command=\"", "command=\"\\\"\\\"\\\" ssh-rsa AAAA",
		"no-pty,no-pty,no-pty,no-pty,", "@cert-authority", "|1|x|y ssh-rsa",
		"SHA256:", "MD5:00", "256 SHA256:abc c (ED25519)",
		"b3BlbnNzaC1rZXktdjE", "PuTTY-User-Key-File-3:",
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI",
		"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIP//////////////////////////"
		"//////////8=",
		"ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY=",
		"sk-ssh-ed25519@openssh.com AAAA", "ssh-dss AAAAB3NzaC1kc3M=",
	};
	uint8_t buf[512];

	(void)state;
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++)
		sweep(odd[i], strlen(odd[i]) + (odd[i][0] == '\0'));
	/* random bytes, a fixed seed */
	for (unsigned seed = 0; seed < 64; seed++) {
		uint8_t key[randombytes_SEEDBYTES] = { (uint8_t)seed };
		size_t n = 1 + seed * 7 % sizeof(buf);
		randombytes_buf_deterministic(buf, n, key);
		sweep(buf, n);
	}
}

static void
test_huge(void **state)
{
	size_t big = 1024 * 1024;
	char *text = malloc(big);
	size_t len;
	char *line = fixture_line("rsa2048.pub", &len);

	(void)state;
	memset(text, 'A', big);
	sweep(text, big);			   /* a megabyte */
	sweep(text, VHKEY_PASTE_MAX);		   /* right at the limit */
	sweep(text, VHKEY_PASTE_MAX + 1);	   /* just over */
	memset(text, '\n', big);
	sweep(text, VHKEY_PASTE_MAX);		   /* only line ends */
	memset(text, ' ', big);
	memcpy(text + 1000, line, len);
	sweep(text, VHKEY_PASTE_MAX);		   /* a key deep in spaces */
	memset(text, 0, big);
	sweep(text, big);			   /* NUL bytes */
	/* one very long line: a comment of 60,000 bytes */
	memcpy(text, line, len - 1);
	memset(text + len - 1, 'c', VHKEY_PASTE_MAX - len);
	sweep(text, VHKEY_PASTE_MAX - 1);
	free(line);
	free(text);
}

/* Everything swept: the count, no acceptances of garbage beyond what a
 * byte change can leave valid, and bounded memory. */
static void
test_totals(void **state)
{
	struct rusage ru;

	(void)state;
	assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
	printf("# swept %zu inputs, %zu accepted, slowest %.1f ms, peak RSS "
	       "%ld KiB\n",
	    swept, accepted, worst_ms, ru.ru_maxrss);
	assert_true(swept >= 200);
	assert_true(ru.ru_maxrss < 128 * 1024);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_byte_changes),
		cmocka_unit_test(test_hostile_lengths),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_huge),
		cmocka_unit_test(test_totals),
	};

	if (vhkey_init() != VHKEY_OK)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
