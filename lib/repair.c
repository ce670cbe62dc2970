/*
 * repair.c - a file of public keys copied with each line that sshd would
 * not read as written replaced by its repaired line (vhkeycheck --repair):
 * the repairs collected from the reports of one check, then the copy
 * written atomically (keyfile.h's vk_replace_file_with) over the output
 * name, never over the file checked, and only from the very file that
 * was checked.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vhkey_internal.h"
#include "keyfile.h"

/* A line to write in place of lines line to last of the file. */
struct repair_line {
	unsigned long line, last;
	char *text;
};

struct vhkey_repair {
	char *in, *out;
	struct stat st; /* the file checked, as it was before the check */
	struct repair_line *lines;
	size_t count;
	int not_lines; /* a report about the file as a whole, or a private
			  key in it: no copy of it is written */
};

void
vhkey_repair_free(vhkey_repair *rep)
{
	if (rep == NULL)
		return;
	for (size_t i = 0; i < rep->count; i++)
		free(rep->lines[i].text);
	free(rep->lines);
	free(rep->in);
	free(rep->out);
	free(rep);
}

/* Would out be the file in (st) itself, by any name?  Refused, always. */
static int
same_file(const char *out, const struct stat *st)
{
	struct stat ost;

	return stat(out, &ost) == 0 && ost.st_dev == st->st_dev &&
	    ost.st_ino == st->st_ino;
}

int
vhkey_repair_new(const char *in, const char *out, vhkey_repair **rep_out,
    vhkey_error *err)
{
	vhkey_repair *rep;

	if (rep_out != NULL)
		*rep_out = NULL;
	vk_error_set(err, VHKEY_OK, 0, in);
	if (in == NULL || out == NULL || rep_out == NULL)
		return vk_fail(err, VHKEY_ERR_ARGUMENT, in);
	if ((rep = calloc(1, sizeof(*rep))) == NULL)
		return vk_fail(err, VHKEY_ERR_NOMEM, in);
	if (stat(in, &rep->st) != 0) {
		vhkey_repair_free(rep);
		return vk_fail_errno(err, in);
	}
	if (same_file(out, &rep->st)) {
		vhkey_repair_free(rep);
		return vk_fail(err, VHKEY_ERR_EXISTS, out);
	}
	if ((rep->in = strdup(in)) == NULL || (rep->out = strdup(out)) == NULL) {
		vhkey_repair_free(rep);
		return vk_fail(err, VHKEY_ERR_NOMEM, in);
	}
	*rep_out = rep;
	return VHKEY_OK;
}

int
vhkey_repair_add(vhkey_repair *rep, unsigned long line,
    const vhkey_report *report)
{
	struct repair_line *list;
	const char *text;

	if (rep == NULL || report == NULL)
		return VHKEY_ERR_ARGUMENT;
	if (vhkey_report_subject(report) != VHKEY_SUBJECT_KEY_LINE ||
	    vhkey_report_reason(report) == VHKEY_REASON_PRIVATE_KEY)
		rep->not_lines = 1;
	if ((text = vhkey_report_repaired_line(report)) == NULL)
		return VHKEY_OK;
	list = realloc(rep->lines, (rep->count + 1) * sizeof(*list));
	if (list == NULL)
		return VHKEY_ERR_NOMEM;
	rep->lines = list;
	list[rep->count].line = line;
	list[rep->count].last = vhkey_report_last_line(report);
	if ((list[rep->count].text = strdup(text)) == NULL)
		return VHKEY_ERR_NOMEM;
	rep->count++;
	return VHKEY_OK;
}

/* The copy being written: the file checked, and the repairs. */
struct copy {
	FILE *in;
	const vhkey_repair *rep;
};

/* Copy in to out, the lines of a repair replaced by its line. */
static void
copy_repaired(FILE *in, FILE *out, const struct repair_line *rep, size_t n)
{
	unsigned long line = 1;
	size_t k = 0;
	int c, at_start = 1;

	while ((c = getc(in)) != EOF) {
		if (at_start && k < n && line == rep[k].line)
			fprintf(out, "%s\n", rep[k].text);
		if (!(k < n && line >= rep[k].line && line <= rep[k].last))
			putc(c, out);
		at_start = c == '\n';
		if (c == '\n') {
			if (k < n && line == rep[k].last)
				k++;
			line++;
		}
	}
}

/* The repaired copy into the temporary file fd (a vk_fill_fn). */
static int
fill_copy(void *arg, int fd)
{
	struct copy *cp = arg;
	FILE *o;
	int dupfd, e;

	if ((dupfd = dup(fd)) < 0)
		return -1;
	if ((o = fdopen(dupfd, "w")) == NULL) {
		e = errno;
		close(dupfd);
		errno = e;
		return -1;
	}
	copy_repaired(cp->in, o, cp->rep->lines, cp->rep->count);
	if (ferror(cp->in) || fflush(o) != 0) {
		e = ferror(cp->in) ? EIO : errno;
		fclose(o);
		errno = e;
		return -1;
	}
	return fclose(o) == 0 ? 0 : -1;
}

/* Has the file changed since st was taken? */
static int
changed(const struct stat *now, const struct stat *st)
{
	return now->st_dev != st->st_dev || now->st_ino != st->st_ino ||
	    now->st_size != st->st_size ||
	    now->st_mtim.tv_sec != st->st_mtim.tv_sec ||
	    now->st_mtim.tv_nsec != st->st_mtim.tv_nsec;
}

int
vhkey_repair_write(const vhkey_repair *rep, size_t *repaired_out,
    vhkey_error *err)
{
	struct copy cp = { NULL, rep };
	struct stat now;
	int rc;

	if (repaired_out != NULL)
		*repaired_out = 0;
	if (rep == NULL)
		return vk_fail(err, VHKEY_ERR_ARGUMENT, NULL);
	vk_error_set(err, VHKEY_OK, 0, rep->in);
	if (rep->not_lines)
		return vk_fail(err, VHKEY_ERR_FORMAT, rep->in);
	/* read again: it must be the file checked, unchanged since */
	if ((cp.in = fopen(rep->in, "re")) == NULL)
		return vk_fail_errno(err, rep->in);
	if (fstat(fileno(cp.in), &now) != 0)
		rc = vk_fail_errno(err, rep->in);
	else if (changed(&now, &rep->st))
		rc = vk_fail(err, VHKEY_ERR_IO, rep->in);
	else /* no more than the original's permissions, and never x */
		rc = vk_replace_file_with(rep->out, rep->st.st_mode & 0644, 0,
		    fill_copy, &cp, err);
	fclose(cp.in);
	if (rc == VHKEY_OK && repaired_out != NULL)
		*repaired_out = rep->count;
	return rc;
}
