/*
 * workers.h - the worker ring that checks a file of keys on every
 * processor (workers.c), behind keylist.c, which reads the file and says
 * what a job is and where its report goes.
 *
 * Jobs are gathered into batches in the order they are added; worker
 * threads (none on one processor, and none for a file of one batch) run
 * whole batches, each thread with its own memos; the reports are
 * delivered in the order the jobs were added, on the calling thread, so
 * the deliverer needs no locking.  Every report is freed by the thread
 * that made it.
 */
#ifndef VHKEY_WORKERS_H
#define VHKEY_WORKERS_H

#include "check.h"

/* One report to give: a text to check, or a rejection decided already. */
struct vk_job {
	unsigned long line, last; /* the text's first and last lines */
	size_t off, len;  /* the text, in the batch's buffer */
	int reason;	  /* with msg */
	const char *msg;  /* a rejection's (static) message, or NULL */
	vhkey_report *r;  /* once the job ran */
	int rc;		  /* the check's status once the job ran */
};

/* Make j's report in j->r and its status in j->rc, on any thread, with
 * that thread's memos; text is the batch's buffer (j->off, j->len). */
typedef void (*vk_job_run_fn)(void *ctx, struct vk_job *j, const char *text,
    const struct vk_memos *memos);
/* Hand over the report of a job that ran with j->rc VHKEY_OK, on the
 * calling thread, in the order the jobs were added; non-VHKEY_OK stops. */
typedef int (*vk_job_deliver_fn)(void *ctx, const struct vk_job *j);

struct vk_ring;

/* A ring for run and deliver (ctx is theirs).  VHKEY_OK or
 * VHKEY_ERR_NOMEM (*out NULL). */
int vk_ring_new(struct vk_ring **out, vk_job_run_fn run,
    vk_job_deliver_fn deliver, void *ctx);
/* Add a job: text to check (on lines line to last, copied), or a
 * rejection (msg, a static string) to report at line.  A full batch is
 * queued, and what is done is delivered.  Returns VHKEY_OK, a status of
 * run's or deliver's, or VHKEY_ERR_NOMEM. */
int vk_ring_add(struct vk_ring *ring, unsigned long line,
    unsigned long last, const char *text, size_t len, int reason,
    const char *msg);
/* Everything added so far, checked and delivered. */
int vk_ring_flush(struct vk_ring *ring);
/* Whether the check ran to the end or stopped: the workers stopped, what
 * was not delivered dropped, everything wiped.  NULL is fine. */
void vk_ring_free(struct vk_ring *ring);

#endif
