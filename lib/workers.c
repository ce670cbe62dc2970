/*
 * workers.c - the worker ring (workers.h): batches of jobs checked on
 * worker threads, delivered in order on the calling thread.
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

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "workers.h"

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

enum batch_state {
	BATCH_FREE = 0, /* empty, or being filled */
	BATCH_QUEUED,	/* waiting for a worker */
	BATCH_RUNNING,	/* being checked */
	BATCH_DONE,	/* checked, waiting to be delivered */
	BATCH_DELIVERED /* delivered, waiting for its worker to empty it */
};

struct batch {
	enum batch_state state; /* under the ring's lock */
	size_t njobs;
	struct vk_job jobs[BATCH_JOBS];
	vk_writer text; /* the jobs' texts, end to end (wiped) */
};

struct vk_ring {
	/* what checks a job and delivers its report (keylist.c) */
	vk_job_run_fn run;
	vk_job_deliver_fn deliver;
	void *ctx;
	/* the batches: a ring, from head (the oldest not yet delivered) to
	 * fill (being filled); pending counts those in between */
	struct batch *batches;
	size_t nbatches, head, fill, pending;
	struct vk_memos memos; /* the calling thread's; each worker has its
				* own */
	/* the workers, and what they share: the batches' states and stop */
	int maxworkers; /* 0: check on the calling thread alone */
	int nworkers;
	pthread_t workers[MAX_WORKERS];
	struct worker_arg {
		struct vk_ring *ring;
		size_t w; /* runs the slots w, w + nworkers, ... */
		pthread_cond_t wake; /* it has work, or stop was set */
	} args[MAX_WORKERS];
	pthread_mutex_t lock;
	pthread_cond_t done; /* a batch is done, or emptied */
	int stop;
	int synced; /* the lock and conditions were made */
};

/* The jobs of a batch, with the memos of the thread that runs them. */
static void
run_batch(const struct vk_ring *ring, struct batch *b,
    const struct vk_memos *memos)
{
	for (size_t i = 0; i < b->njobs; i++)
		ring->run(ring->ctx, &b->jobs[i], (const char *)b->text.data,
		    memos);
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
next_work(struct vk_ring *ring, size_t w)
{
	struct batch *queued = NULL;

	for (size_t i = w; i < ring->nbatches; i += (size_t)ring->nworkers) {
		struct batch *b = &ring->batches[i];

		if (b->state == BATCH_DELIVERED)
			return b;
	}
	for (size_t i = 0; i < ring->pending && queued == NULL; i++) {
		size_t s = (ring->head + i) % ring->nbatches;

		if (s % (size_t)ring->nworkers == w &&
		    ring->batches[s].state == BATCH_QUEUED)
			queued = &ring->batches[s];
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
	struct vk_ring *ring = me->ring;
	size_t w = me->w;
	struct vk_memos memos;
	struct batch *b;

	memos_new(&memos);
	pthread_mutex_lock(&ring->lock);
	for (;;) {
		while (!ring->stop && (b = next_work(ring, w)) == NULL)
			pthread_cond_wait(&me->wake, &ring->lock);
		if (ring->stop)
			break;
		if (b->state == BATCH_DELIVERED) {
			pthread_mutex_unlock(&ring->lock);
			reset_batch(b);
			pthread_mutex_lock(&ring->lock);
			b->state = BATCH_FREE;
		} else {
			b->state = BATCH_RUNNING;
			pthread_mutex_unlock(&ring->lock);
			run_batch(ring, b, &memos);
			pthread_mutex_lock(&ring->lock);
			b->state = BATCH_DONE;
		}
		pthread_cond_broadcast(&ring->done);
	}
	pthread_mutex_unlock(&ring->lock);
	memos_free(&memos);
	return NULL;
}

/* Start the workers; with none, the calling thread checks alone. */
static void
start_workers(struct vk_ring *ring)
{
	pthread_mutex_lock(&ring->lock);
	while (ring->nworkers < ring->maxworkers) {
		struct worker_arg *a = &ring->args[ring->nworkers];

		a->ring = ring;
		a->w = (size_t)ring->nworkers;
		if (pthread_cond_init(&a->wake, NULL) != 0)
			break;
		if (pthread_create(&ring->workers[ring->nworkers], NULL,
			worker, a) != 0) {
			pthread_cond_destroy(&a->wake);
			break;
		}
		ring->nworkers++;
	}
	/* the slots are shared out among the workers that started */
	ring->maxworkers = ring->nworkers;
	pthread_mutex_unlock(&ring->lock);
}

/* Stop the workers, once they are done with the batches they run. */
static void
stop_workers(struct vk_ring *ring)
{
	pthread_mutex_lock(&ring->lock);
	ring->stop = 1;
	for (int i = 0; i < ring->nworkers; i++)
		pthread_cond_signal(&ring->args[i].wake);
	pthread_mutex_unlock(&ring->lock);
	for (int i = 0; i < ring->nworkers; i++) {
		pthread_join(ring->workers[i], NULL);
		pthread_cond_destroy(&ring->args[i].wake);
	}
	ring->nworkers = 0;
}

/*
 * Deliver the oldest batch: wait until it is checked (with no workers,
 * check it here), then hand its reports over in order.  With wait 0,
 * deliver it only if it is done already, else return 1.
 */
static int
deliver_head(struct vk_ring *ring, int wait)
{
	struct batch *b = &ring->batches[ring->head];
	int rc = VHKEY_OK;

	if (ring->nworkers == 0 && b->state == BATCH_QUEUED) {
		run_batch(ring, b, &ring->memos);
		b->state = BATCH_DONE;
	}
	pthread_mutex_lock(&ring->lock);
	if (!wait && b->state != BATCH_DONE) {
		pthread_mutex_unlock(&ring->lock);
		return 1;
	}
	while (b->state != BATCH_DONE)
		pthread_cond_wait(&ring->done, &ring->lock);
	pthread_mutex_unlock(&ring->lock);
	for (size_t i = 0; i < b->njobs && rc == VHKEY_OK; i++)
		if ((rc = b->jobs[i].rc) == VHKEY_OK)
			rc = ring->deliver(ring->ctx, &b->jobs[i]);
	pthread_mutex_lock(&ring->lock);
	if (ring->nworkers == 0) {
		reset_batch(b);
		b->state = BATCH_FREE;
	} else {
		/* its worker empties it */
		b->state = BATCH_DELIVERED;
		pthread_cond_signal(
		    &ring->args[ring->head % (size_t)ring->nworkers].wake);
	}
	ring->head = (ring->head + 1) % ring->nbatches;
	ring->pending--;
	pthread_mutex_unlock(&ring->lock);
	return rc;
}

/*
 * The batch being filled is complete: queue it for the workers (starting
 * them with the first full batch), or with no workers check and deliver
 * it at once.  Then deliver what is done, and wait until the next slot
 * is free to fill.
 */
static int
submit(struct vk_ring *ring, int last)
{
	struct batch *b = &ring->batches[ring->fill];
	int rc;

	if (b->njobs == 0)
		return VHKEY_OK;
	if (ring->nworkers == 0 && ring->maxworkers > 0 && !last)
		start_workers(ring);
	pthread_mutex_lock(&ring->lock);
	b->state = BATCH_QUEUED;
	if (ring->nworkers > 0)
		pthread_cond_signal(
		    &ring->args[ring->fill % (size_t)ring->nworkers].wake);
	ring->pending++;
	ring->fill = (ring->fill + 1) % ring->nbatches;
	pthread_mutex_unlock(&ring->lock);
	if (ring->nworkers == 0)
		return deliver_head(ring, 1);
	while (ring->pending > 0 && (rc = deliver_head(ring, 0)) != 1)
		if (rc != VHKEY_OK)
			return rc;
	/* the next slot: still to deliver (the ring is full), or being
	 * emptied by its worker */
	for (;;) {
		enum batch_state state;

		b = &ring->batches[ring->fill];
		pthread_mutex_lock(&ring->lock);
		while (b->state == BATCH_DELIVERED)
			pthread_cond_wait(&ring->done, &ring->lock);
		state = b->state;
		pthread_mutex_unlock(&ring->lock);
		if (state == BATCH_FREE)
			return VHKEY_OK;
		if ((rc = deliver_head(ring, 1)) != VHKEY_OK)
			return rc;
	}
}

int
vk_ring_flush(struct vk_ring *ring)
{
	int rc = submit(ring, 1);

	while (rc == VHKEY_OK && ring->pending > 0)
		rc = deliver_head(ring, 1);
	return rc;
}

int
vk_ring_add(struct vk_ring *ring, unsigned long line, unsigned long last,
    const char *text, size_t len, int reason, const char *msg)
{
	struct batch *b = &ring->batches[ring->fill];
	struct vk_job *j;
	int rc;

	if (b->njobs == BATCH_JOBS || b->text.len >= BATCH_TEXT) {
		if ((rc = submit(ring, 0)) != VHKEY_OK)
			return rc;
		b = &ring->batches[ring->fill];
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


/* Free the ring's parts, as far as vk_ring_new() made them. */
static void
ring_clear(struct vk_ring *ring)
{
	if (ring->synced) {
		stop_workers(ring);
		pthread_cond_destroy(&ring->done);
		pthread_mutex_destroy(&ring->lock);
	}
	if (ring->batches != NULL) {
		for (size_t i = 0; i < ring->nbatches; i++) {
			reset_batch(&ring->batches[i]);
			vk_writer_clear(&ring->batches[i].text);
		}
		free(ring->batches);
	}
	memos_free(&ring->memos);
}

static int
ring_init(struct vk_ring *ring)
{
	/* a worker for each processor; none on one processor */
	ring->maxworkers = vk_cpus(MAX_WORKERS);
	if (ring->maxworkers < 2)
		ring->maxworkers = 0;
	ring->nbatches =
	    ring->maxworkers > 0 ? 4 * (size_t)ring->maxworkers : 1;
	if ((ring->batches = calloc(ring->nbatches,
		 sizeof(*ring->batches))) == NULL)
		return VHKEY_ERR_NOMEM;
	for (size_t i = 0; i < ring->nbatches; i++)
		vk_writer_init(&ring->batches[i].text, 0);
	memos_new(&ring->memos);
	if (pthread_mutex_init(&ring->lock, NULL) != 0)
		return VHKEY_ERR_NOMEM;
	if (pthread_cond_init(&ring->done, NULL) != 0) {
		pthread_mutex_destroy(&ring->lock);
		return VHKEY_ERR_NOMEM;
	}
	ring->synced = 1;
	return VHKEY_OK;
}

int
vk_ring_new(struct vk_ring **out, vk_job_run_fn run,
    vk_job_deliver_fn deliver, void *ctx)
{
	struct vk_ring *ring;
	int rc;

	*out = NULL;
	if ((ring = calloc(1, sizeof(*ring))) == NULL)
		return VHKEY_ERR_NOMEM;
	ring->run = run;
	ring->deliver = deliver;
	ring->ctx = ctx;
	if ((rc = ring_init(ring)) != VHKEY_OK) {
		vk_ring_free(ring);
		return rc;
	}
	*out = ring;
	return VHKEY_OK;
}

void
vk_ring_free(struct vk_ring *ring)
{
	if (ring == NULL)
		return;
	ring_clear(ring);
	free(ring);
}
