/*
 * keylist.c - a file of public keys (authorized_keys, a .pub file), read
 * as a stream and checked key by key, the way ssh-keygen -lf reads one.
 *
 * Memory stays bounded whatever the file's size: one read buffer of
 * VHKEY_PASTE_MAX + 1 bytes holds the current line, an armored block is
 * gathered up to VHKEY_PASTE_MAX bytes, and at most four batches of lines
 * a worker wait to be checked or delivered.  All may hold private key
 * bytes (a private key file given by mistake), so all are wiped.
 *
 * A big file is checked on every processor.  The calling thread reads the
 * file and gathers what it finds (lines and blocks to check, rejections it
 * decided itself) into batches; worker threads check whole batches; the
 * calling thread hands the reports to the caller's function in the file's
 * order, from its own thread, so that function needs no locking; each
 * worker then frees the reports it made.  A file of one batch (most
 * authorized_keys files) is checked on the calling thread alone: no
 * thread is started.  Each thread remembers the keys it decoded and their
 * weak-key verdicts (memo.c), so a key named on many lines is decoded and
 * tested once per thread.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "check.h"

#define LINE_CAP (VHKEY_PASTE_MAX + 1)

/* The file, line by line. */
struct lines {
	int fd;
	char *buf; /* LINE_CAP bytes */
	size_t start, end;
	int eof;
};

/* Where a block ends. */
enum block_end {
	BLOCK_NONE = 0,
	BLOCK_ARMOR, /* at an END line */
	BLOCK_PUTTY, /* at the Private-MAC: line */
	BLOCK_BODY,  /* at an END line, or before a line not of base64 */
	BLOCK_EOF    /* at the end of the file (SSH-1, binary) */
};

/*
 * A batch is queued once it holds BATCH_JOBS jobs or BATCH_TEXT bytes of
 * text (one more job may take it up to BATCH_TEXT + VHKEY_PASTE_MAX).
 * Four slots per worker keep the workers busy while the calling thread
 * delivers and the workers empty what was delivered; MAX_WORKERS bounds
 * the threads and, with the batch sizes, the memory a check may take
 * (about 250 KB a slot).  Larger batches measured slower: the workers
 * sat idle at the start and the end.
 */
#define BATCH_JOBS 64
#define BATCH_TEXT (64u * 1024u)
#define MAX_WORKERS 8
/* A memo of weak-key verdicts for each thread: 2^9 sets of 4, 2048
 * distinct keys remembered by their fingerprints, about 200 KB. */
#define MEMO_SET_BITS 9

/* One report to give: a text to check, or a rejection decided already. */
struct job {
	unsigned long line, last; /* the text's first and last lines */
	size_t off, len;  /* the text, in the batch's buffer */
	int reason;	  /* with msg */
	const char *msg;  /* a rejection's (static) message, or NULL */
	vhkey_report *r;  /* once the job ran */
	int rc;		  /* the check's status once the job ran */
};

enum batch_state {
	BATCH_FREE = 0, /* empty, or being filled */
	BATCH_QUEUED,	/* waiting for a worker */
	BATCH_RUNNING,	/* being checked */
	BATCH_DONE,	/* checked, waiting to be delivered */
	BATCH_DELIVERED /* delivered, waiting for its worker to empty it */
};

struct batch {
	enum batch_state state; /* under the keylist's lock */
	size_t njobs;
	struct job jobs[BATCH_JOBS];
	vk_writer text; /* the jobs' texts, end to end (wiped) */
};

struct keylist {
	const char *path;
	const vhkey_policy *policy;
	time_t now;
	vhkey_check_fn fn;
	void *arg;
	unsigned long keys; /* reports given */
	/* the block being gathered */
	enum block_end block;
	unsigned long block_line, block_last;
	int block_overflow;
	vk_writer blk;
	/* the batches: a ring, from head (the oldest not yet delivered) to
	 * fill (being filled); pending counts those in between */
	struct batch *batches;
	size_t nbatches, head, fill, pending;
	struct vk_memos memos; /* the calling thread's; each worker has its own */
	/* the workers, and what they share: the batches' states and stop */
	int maxworkers; /* 0: check on the calling thread alone */
	int nworkers;
	pthread_t workers[MAX_WORKERS];
	struct worker_arg {
		struct keylist *k;
		size_t w; /* runs the slots w, w + nworkers, ... */
		pthread_cond_t wake; /* it has work, or stop was set */
	} args[MAX_WORKERS];
	pthread_mutex_t lock;
	pthread_cond_t done; /* a batch is done, or emptied */
	int stop;
	int synced; /* the lock and conditions were made */
};

static int
fill(struct lines *l)
{
	ssize_t n;

	if (l->start > 0) {
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->end -= l->start;
		l->start = 0;
	}
	do
		n = read(l->fd, l->buf + l->end, LINE_CAP - l->end);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return VHKEY_ERR_IO;
	if (n == 0)
		l->eof = 1;
	l->end += (size_t)n;
	return VHKEY_OK;
}

/*
 * The next line, without its newline, in [*line, *line + *len).  A line
 * longer than VHKEY_PASTE_MAX bytes is read to its end and dropped:
 * *toolong is set and *len is 0.  Returns 1 for a line, 0 at the end of
 * the file, or -1 with *rc set on a read error.
 */
static int
next_line(struct lines *l, const char **line, size_t *len, int *toolong,
    int *rc)
{
	char *nl;

	*toolong = 0;
	for (;;) {
		nl = memchr(l->buf + l->start, '\n', l->end - l->start);
		if (nl != NULL || (l->eof && l->end > l->start)) {
			size_t e = nl ? (size_t)(nl - l->buf) : l->end;
			*line = l->buf + l->start;
			*len = e - l->start;
			l->start = nl ? e + 1 : e;
			return 1;
		}
		if (l->eof)
			return 0;
		if (l->start == 0 && l->end == LINE_CAP) {
			/* too long: drop it up to its newline */
			*toolong = 1;
			sodium_memzero(l->buf, LINE_CAP);
			l->start = l->end = 0;
			for (;;) {
				if ((*rc = fill(l)) != VHKEY_OK)
					return -1;
				nl = memchr(l->buf, '\n', l->end);
				if (nl != NULL || l->eof)
					break;
				sodium_memzero(l->buf, l->end);
				l->end = 0;
			}
			l->start = nl ? (size_t)(nl - l->buf) + 1 : l->end;
			*line = l->buf;
			*len = 0;
			return 1;
		}
		if ((*rc = fill(l)) != VHKEY_OK)
			return -1;
	}
}

/* Hand a report to the caller, with its place in the file.  The report
 * stays with its batch: the thread that made it frees it. */
static int
deliver(struct keylist *k, vhkey_report *r, unsigned long line,
    unsigned long last)
{
	r->last_line = last;
	k->keys++;
	return vk_report_deliver(r, k->path, line, k->fn, k->arg);
}

/* ----------------------------------------------------------- batches */

static void
run_job(const struct keylist *k, struct job *j, const char *text,
    const struct vk_memos *memos)
{
	if ((j->r = vk_report_new()) == NULL) {
		j->rc = VHKEY_ERR_NOMEM;
		return;
	}
	/* line 0 is reject_at()'s word on the file as a whole */
	vk_report_set_subject(j->r, j->line == 0 ? VHKEY_SUBJECT_KEYS_FILE :
						   VHKEY_SUBJECT_KEY_LINE);
	if (j->msg != NULL)
		j->rc = vk_report_reject(j->r, j->reason, "%s", j->msg);
	else
		j->rc = vk_check_text(j->r, text + j->off, j->len, k->policy,
		    k->now, memos, VK_CHECK_FILE_LINE);
}

/* The jobs of a batch, with the memos of the thread that runs them. */
static void
run_batch(const struct keylist *k, struct batch *b,
    const struct vk_memos *memos)
{
	for (size_t i = 0; i < b->njobs; i++)
		run_job(k, &b->jobs[i], (const char *)b->text.data, memos);
}

/* A thread's memos; without them (short of memory) it just does more. */
static void
memos_new(struct vk_memos *m)
{
	if (vk_memo_new(&m->weak, MEMO_SET_BITS, NULL) != VHKEY_OK)
		m->weak = NULL;
	if (vk_key_memo_new(&m->keys) != VHKEY_OK)
		m->keys = NULL;
}

static void
memos_free(struct vk_memos *m)
{
	vk_memo_free(m->weak);
	vk_memo_free(m->keys);
}

/* Empty a batch for reuse: its reports freed, its text wiped.  (Its state
 * is the caller's business.) */
static void
reset_batch(struct batch *b)
{
	for (size_t i = 0; i < b->njobs; i++)
		vhkey_report_free(b->jobs[i].r);
	b->njobs = 0;
	vk_writer_wipe(&b->text);
}

/* Worker w's part of the work, under the lock: a delivered batch of its
 * own to empty, or else the oldest queued batch of its own; NULL if
 * neither. */
static struct batch *
next_work(struct keylist *k, size_t w)
{
	struct batch *queued = NULL;

	for (size_t i = w; i < k->nbatches; i += (size_t)k->nworkers) {
		struct batch *b = &k->batches[i];

		if (b->state == BATCH_DELIVERED)
			return b;
	}
	for (size_t i = 0; i < k->pending && queued == NULL; i++) {
		size_t s = (k->head + i) % k->nbatches;

		if (s % (size_t)k->nworkers == w &&
		    k->batches[s].state == BATCH_QUEUED)
			queued = &k->batches[s];
	}
	return queued;
}

/*
 * Worker w runs the batches in the slots w, w + nworkers, ... and empties
 * them once delivered, so that every report is freed by the thread that
 * made it: reports made on one thread and freed on another kept the two
 * threads contending for the allocator's locks, and were slower than
 * one thread alone.
 */
static void *
worker(void *arg)
{
	struct worker_arg *me = arg;
	struct keylist *k = me->k;
	size_t w = me->w;
	struct vk_memos memos;
	struct batch *b;

	memos_new(&memos);
	pthread_mutex_lock(&k->lock);
	for (;;) {
		while (!k->stop && (b = next_work(k, w)) == NULL)
			pthread_cond_wait(&me->wake, &k->lock);
		if (k->stop)
			break;
		if (b->state == BATCH_DELIVERED) {
			pthread_mutex_unlock(&k->lock);
			reset_batch(b);
			pthread_mutex_lock(&k->lock);
			b->state = BATCH_FREE;
		} else {
			b->state = BATCH_RUNNING;
			pthread_mutex_unlock(&k->lock);
			run_batch(k, b, &memos);
			pthread_mutex_lock(&k->lock);
			b->state = BATCH_DONE;
		}
		pthread_cond_broadcast(&k->done);
	}
	pthread_mutex_unlock(&k->lock);
	memos_free(&memos);
	return NULL;
}

/* Start the workers; with none, the calling thread checks alone. */
static void
start_workers(struct keylist *k)
{
	pthread_mutex_lock(&k->lock);
	while (k->nworkers < k->maxworkers) {
		struct worker_arg *a = &k->args[k->nworkers];

		a->k = k;
		a->w = (size_t)k->nworkers;
		if (pthread_cond_init(&a->wake, NULL) != 0)
			break;
		if (pthread_create(&k->workers[k->nworkers], NULL, worker, a) !=
		    0) {
			pthread_cond_destroy(&a->wake);
			break;
		}
		k->nworkers++;
	}
	/* the slots are shared out among the workers that started */
	k->maxworkers = k->nworkers;
	pthread_mutex_unlock(&k->lock);
}

/* Stop the workers, once they are done with the batches they run. */
static void
stop_workers(struct keylist *k)
{
	pthread_mutex_lock(&k->lock);
	k->stop = 1;
	for (int i = 0; i < k->nworkers; i++)
		pthread_cond_signal(&k->args[i].wake);
	pthread_mutex_unlock(&k->lock);
	for (int i = 0; i < k->nworkers; i++) {
		pthread_join(k->workers[i], NULL);
		pthread_cond_destroy(&k->args[i].wake);
	}
	k->nworkers = 0;
}

/*
 * Deliver the oldest batch: wait until it is checked (with no workers,
 * check it here), then hand its reports over in order.  With wait 0,
 * deliver it only if it is done already, else return 1.
 */
static int
deliver_head(struct keylist *k, int wait)
{
	struct batch *b = &k->batches[k->head];
	int rc = VHKEY_OK;

	if (k->nworkers == 0 && b->state == BATCH_QUEUED) {
		run_batch(k, b, &k->memos);
		b->state = BATCH_DONE;
	}
	pthread_mutex_lock(&k->lock);
	if (!wait && b->state != BATCH_DONE) {
		pthread_mutex_unlock(&k->lock);
		return 1;
	}
	while (b->state != BATCH_DONE)
		pthread_cond_wait(&k->done, &k->lock);
	pthread_mutex_unlock(&k->lock);
	for (size_t i = 0; i < b->njobs && rc == VHKEY_OK; i++)
		if ((rc = b->jobs[i].rc) == VHKEY_OK)
			rc = deliver(k, b->jobs[i].r, b->jobs[i].line,
			    b->jobs[i].last);
	pthread_mutex_lock(&k->lock);
	if (k->nworkers == 0) {
		reset_batch(b);
		b->state = BATCH_FREE;
	} else {
		/* its worker empties it */
		b->state = BATCH_DELIVERED;
		pthread_cond_signal(&k->args[k->head % (size_t)k->nworkers].wake);
	}
	k->head = (k->head + 1) % k->nbatches;
	k->pending--;
	pthread_mutex_unlock(&k->lock);
	return rc;
}

/*
 * The batch being filled is complete: queue it for the workers (starting
 * them with the first full batch), or with no workers check and deliver
 * it at once.  Then deliver what is done, and wait until the next slot
 * is free to fill.
 */
static int
submit(struct keylist *k, int last)
{
	struct batch *b = &k->batches[k->fill];
	int rc;

	if (b->njobs == 0)
		return VHKEY_OK;
	if (k->nworkers == 0 && k->maxworkers > 0 && !last)
		start_workers(k);
	pthread_mutex_lock(&k->lock);
	b->state = BATCH_QUEUED;
	if (k->nworkers > 0)
		pthread_cond_signal(&k->args[k->fill % (size_t)k->nworkers].wake);
	k->pending++;
	k->fill = (k->fill + 1) % k->nbatches;
	pthread_mutex_unlock(&k->lock);
	if (k->nworkers == 0)
		return deliver_head(k, 1);
	while (k->pending > 0 && (rc = deliver_head(k, 0)) != 1)
		if (rc != VHKEY_OK)
			return rc;
	/* the next slot: still to deliver (the ring is full), or being
	 * emptied by its worker */
	for (;;) {
		enum batch_state state;

		b = &k->batches[k->fill];
		pthread_mutex_lock(&k->lock);
		while (b->state == BATCH_DELIVERED)
			pthread_cond_wait(&k->done, &k->lock);
		state = b->state;
		pthread_mutex_unlock(&k->lock);
		if (state == BATCH_FREE)
			return VHKEY_OK;
		if ((rc = deliver_head(k, 1)) != VHKEY_OK)
			return rc;
	}
}

/* Everything gathered so far, checked and delivered. */
static int
flush(struct keylist *k)
{
	int rc = submit(k, 1);

	while (rc == VHKEY_OK && k->pending > 0)
		rc = deliver_head(k, 1);
	return rc;
}

/* Add a job to the batch being filled: text to check (on lines line to
 * last), or a rejection (msg, a static string) to report at line. */
static int
add_job(struct keylist *k, unsigned long line, unsigned long last,
    const char *text, size_t len, int reason, const char *msg)
{
	struct batch *b = &k->batches[k->fill];
	struct job *j;
	int rc;

	if (b->njobs == BATCH_JOBS || b->text.len >= BATCH_TEXT) {
		if ((rc = submit(k, 0)) != VHKEY_OK)
			return rc;
		b = &k->batches[k->fill];
	}
	j = &b->jobs[b->njobs];
	memset(j, 0, sizeof(*j));
	j->line = line;
	j->last = last;
	j->off = b->text.len;
	j->len = len;
	j->reason = reason;
	j->msg = msg;
	if (len > 0 && (rc = vk_put_bytes(&b->text, text, len)) != VHKEY_OK)
		return rc;
	b->njobs++;
	return VHKEY_OK;
}

static int
check_text(struct keylist *k, const char *text, size_t len,
    unsigned long line, unsigned long last)
{
	return add_job(k, line, last, text, len, 0, NULL);
}

static int
reject_at(struct keylist *k, unsigned long line, int reason, const char *msg)
{
	return add_job(k, line, line, NULL, 0, reason, msg);
}

static const char too_long[] =
    "This line is longer than 65536 bytes, far longer than any public "
    "key: it was not checked. An authorized_keys file holds one key per "
    "line, each a few hundred bytes.";

static int
end_block(struct keylist *k)
{
	enum block_end block = k->block;
	int rc;

	if (block == BLOCK_NONE)
		return VHKEY_OK;
	k->block = BLOCK_NONE;
	if (!k->block_overflow)
		rc = check_text(k, (const char *)k->blk.data, k->blk.len,
		    k->block_line, k->block_last);
	else if (block == BLOCK_BODY ||
	    vk_private_format(k->blk.data, k->blk.len) != NULL)
		/* too long to check whole, but its start says enough: a
		 * private key's marker, or lines of base64 alone */
		rc = check_text(k, (const char *)k->blk.data, k->blk.len,
		    k->block_line, k->block_last);
	else
		rc = reject_at(k, k->block_line, VHKEY_REASON_TOO_LARGE,
		    "This block is longer than 65536 bytes, far longer than "
		    "any public key: it was not checked.");
	vk_writer_clear(&k->blk);
	return rc;
}

static int
starts_with(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(s, prefix, n) == 0;
}

/* Does this (trimmed) line start a block, and where does it end? */
static enum block_end
block_start(const char *s, size_t len)
{
	const char *label;
	size_t labellen;

	if (vk_armor_line(s, len, "BEGIN", &label, &labellen))
		return BLOCK_ARMOR;
	if (starts_with(s, len, "PuTTY-User-Key-File-"))
		return BLOCK_PUTTY;
	if (starts_with(s, len, "SSH PRIVATE KEY FILE FORMAT 1.1"))
		return BLOCK_EOF;
	return BLOCK_NONE;
}

/* Is this (trimmed) line nothing but base64: a line of a key's body? */
static int
body_line(const char *s, size_t len)
{
	size_t pad = 0;

	while (pad < 2 && pad < len && s[len - 1 - pad] == '=')
		pad++;
	return len > pad && vk_base64_alphabet(s, len - pad);
}

/*
 * Does this (trimmed) line start the lines of a private key's body
 * without its BEGIN line: a whole line that looks like one
 * (vk_keyish_word())?  They are gathered and checked together, as a
 * paste of them would be: a last line, shorter, says nothing alone.
 */
static int
body_start(const char *s, size_t len)
{
	return vk_keyish_word(s, len, VK_KEYISH_MIN) == len;
}

/* Does this (trimmed) line end the block being gathered? */
static int
block_done(const struct keylist *k, const char *s, size_t len)
{
	const char *label;
	size_t labellen;

	switch (k->block) {
	case BLOCK_ARMOR:
	case BLOCK_BODY:
		return vk_armor_line(s, len, "END", &label, &labellen);
	case BLOCK_PUTTY:
		return starts_with(s, len, "Private-MAC:");
	default:
		return 0;
	}
}

static int
block_add(struct keylist *k, const char *line, size_t len, int toolong)
{
	int rc;

	if (toolong || k->blk.len + len + 1 > VHKEY_PASTE_MAX) {
		k->block_overflow = 1;
		return VHKEY_OK;
	}
	if ((rc = vk_put_bytes(&k->blk, line, len)) != VHKEY_OK ||
	    (rc = vk_put_u8(&k->blk, '\n')) != VHKEY_OK)
		return rc;
	return VHKEY_OK;
}

static int
one_line(struct keylist *k, unsigned long lineno, const char *line,
    size_t len, int toolong)
{
	size_t b = 0, e = len, t;
	int rc;

	/* a byte order mark is no content (vk_check_text() reports it) */
	if (lineno == 1 && len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
		b = 3;
	while (b < e && (line[b] == ' ' || line[b] == '\t'))
		b++;
	while (e > b && (line[e - 1] == ' ' || line[e - 1] == '\t' ||
			    line[e - 1] == '\r'))
		e--;
	if (k->block != BLOCK_NONE) {
		/* a key line cuts short a block that has no END line; any
		 * line but base64 ends a body */
		for (t = b; t < e && line[t] != ' ' && line[t] != '\t'; t++)
			;
		if ((k->block == BLOCK_ARMOR && !toolong &&
			(block_start(line + b, e - b) != BLOCK_NONE ||
			    vk_name_kind(line + b, t - b, NULL) ==
				VK_NAME_SUPPORTED)) ||
		    (k->block == BLOCK_BODY && !body_line(line + b, e - b) &&
			!block_done(k, line + b, e - b))) {
			if ((rc = end_block(k)) != VHKEY_OK)
				return rc;
			return one_line(k, lineno, line, len, toolong);
		}
		if ((rc = block_add(k, line, len, toolong)) != VHKEY_OK)
			return rc;
		k->block_last = lineno;
		return !toolong && block_done(k, line + b, e - b) ?
		    end_block(k) :
		    VHKEY_OK;
	}
	if (toolong)
		return reject_at(k, lineno, VHKEY_REASON_TOO_LARGE, too_long);
	if (b == e || line[b] == '#')
		return VHKEY_OK;
	if ((k->block = block_start(line + b, e - b)) == BLOCK_NONE &&
	    body_start(line + b, e - b))
		k->block = BLOCK_BODY;
	if (k->block != BLOCK_NONE) {
		k->block_line = k->block_last = lineno;
		k->block_overflow = 0;
		vk_writer_clear(&k->blk);
		return block_add(k, line, len, 0);
	}
	return check_text(k, line, len, lineno, lineno);
}

static int
keylist_init(struct keylist *k)
{
	vk_writer_init(&k->blk, 0);
	/* a worker for each processor; none on one processor */
	k->maxworkers = vk_cpus(MAX_WORKERS);
	if (k->maxworkers < 2)
		k->maxworkers = 0;
	k->nbatches = k->maxworkers > 0 ? 4 * (size_t)k->maxworkers : 1;
	if ((k->batches = calloc(k->nbatches, sizeof(*k->batches))) == NULL)
		return VHKEY_ERR_NOMEM;
	for (size_t i = 0; i < k->nbatches; i++)
		vk_writer_init(&k->batches[i].text, 0);
	memos_new(&k->memos);
	if (pthread_mutex_init(&k->lock, NULL) != 0)
		return VHKEY_ERR_NOMEM;
	if (pthread_cond_init(&k->done, NULL) != 0) {
		pthread_mutex_destroy(&k->lock);
		return VHKEY_ERR_NOMEM;
	}
	k->synced = 1;
	return VHKEY_OK;
}

/* After the check, whether it ran to the end or stopped: the workers
 * stopped, what was not delivered dropped, everything wiped. */
static void
keylist_clear(struct keylist *k)
{
	if (k->synced) {
		stop_workers(k);
		pthread_cond_destroy(&k->done);
		pthread_mutex_destroy(&k->lock);
	}
	if (k->batches != NULL) {
		for (size_t i = 0; i < k->nbatches; i++) {
			reset_batch(&k->batches[i]);
			vk_writer_clear(&k->batches[i].text);
		}
		free(k->batches);
	}
	memos_free(&k->memos);
	vk_writer_clear(&k->blk);
}

static int
check_fd(struct keylist *k, int fd, vhkey_error *err)
{
	struct lines l = { fd, NULL, 0, 0, 0 };
	unsigned long lineno = 0;
	const char *line;
	size_t len;
	int toolong, got, rc = VHKEY_OK;

	if ((l.buf = malloc(LINE_CAP)) == NULL)
		return VHKEY_ERR_NOMEM;
	while ((got = next_line(&l, &line, &len, &toolong, &rc)) == 1) {
		if ((rc = one_line(k, ++lineno, line, len, toolong)) !=
		    VHKEY_OK)
			break;
	}
	if (got < 0) {
		vk_error_set(err, rc, errno, k->path);
		goto out;
	}
	if (rc == VHKEY_OK && (rc = end_block(k)) == VHKEY_OK &&
	    (rc = flush(k)) == VHKEY_OK && k->keys == 0) {
		if ((rc = reject_at(k, 0, VHKEY_REASON_MALFORMED,
			 lineno == 0 ?
			     "The file is empty: it holds no key." :
			     "The file holds no key: only blank lines and "
			     "comments.")) == VHKEY_OK)
			rc = flush(k);
	}
	/* stopped, or out of memory: err says so, as it says a read error
	 * (and as vhkey_check_file() says it for a whole-file report) */
	if (rc != VHKEY_OK)
		vk_error_set(err, rc, 0, k->path);
out:
	sodium_memzero(l.buf, LINE_CAP);
	free(l.buf);
	return rc;
}

/* A FIFO with a name of its own, rather than a pipe behind a link. */
static int
is_named_pipe(const char *path)
{
	struct stat lst;

	return lstat(path, &lst) == 0 && S_ISFIFO(lst.st_mode);
}

int
vhkey_check_keys_file(const char *path, const vhkey_policy *policy,
    time_t now, vhkey_check_fn fn, void *arg, vhkey_error *err)
{
	struct keylist k;
	vhkey_policy *defaults = NULL;
	struct stat st;
	int fd, rc, e;

	if (path == NULL || fn == NULL) {
		vk_error_set(err, VHKEY_ERR_ARGUMENT, 0, path);
		return VHKEY_ERR_ARGUMENT;
	}
	if ((rc = vhkey_init()) != VHKEY_OK) {
		vk_error_set(err, rc, 0, path);
		return rc;
	}
	/* O_NONBLOCK: opening a named pipe nobody writes to must not hang */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) <
		0 ||
	    fstat(fd, &st) != 0 ||
	    (S_ISFIFO(st.st_mode) && !is_named_pipe(path) &&
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0)) {
		e = errno;
		if (fd >= 0)
			close(fd);
		vk_error_set(err, vk_status_from_errno(e), e, path);
		errno = e;
		return vk_status_from_errno(e);
	}
	/* a pipe reached through a link (/dev/stdin, a shell's <(...)) is
	 * read; a named pipe in a directory is no key file, and a device
	 * (/dev/zero, a terminal) would be read for ever */
	if (!(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode)) ||
	    (S_ISFIFO(st.st_mode) && is_named_pipe(path))) {
		close(fd);
		/* "not a regular file" says more than EINVAL would */
		e = S_ISDIR(st.st_mode) ? EISDIR : 0;
		vk_error_set(err, VHKEY_ERR_NOT_REGULAR, e, path);
		errno = e;
		return VHKEY_ERR_NOT_REGULAR;
	}
	if (policy == NULL &&
	    (rc = vhkey_policy_new(&defaults)) != VHKEY_OK) {
		close(fd);
		vk_error_set(err, rc, 0, path);
		return rc;
	}
	memset(&k, 0, sizeof(k));
	k.path = path;
	k.policy = policy != NULL ? policy : defaults;
	k.now = now;
	k.fn = fn;
	k.arg = arg;
	if ((rc = keylist_init(&k)) == VHKEY_OK)
		rc = check_fd(&k, fd, err);
	else
		vk_error_set(err, rc, 0, path);
	keylist_clear(&k);
	vhkey_policy_free(defaults);
	close(fd);
	return rc;
}
