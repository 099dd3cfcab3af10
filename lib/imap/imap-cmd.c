/* imap-cmd.c - the commands that work on the selected mailbox: UID FETCH of
 * sizes, bodies and headers (pipelined, literals streamed to spool files),
 * UID STORE, UID MOVE or its COPY fallback, and deletion.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "imap-mailbox-priv.h"
#include "imap-priv.h"

/* UID sets are split so that no command line exceeds about this (RFC 7162
 * section 4 asks clients to stay near 8192 octets). */
#define MAX_SET_LEN	4000
/* Messages per UID FETCH of bodies, and how many such commands are in
 * flight at once. Dovecot runs pipelined FETCH commands in parallel and
 * interleaves their responses, which would break the promise of callbacks
 * in UID order; one batch at a time costs one round trip per batch. */
#define FETCH_BATCH	1000
#define FETCH_DEPTH	1
/* After the callback stopped the fetch, the rest of the batch is read and
 * dropped (the session stays usable) while that costs at most this many
 * literal bytes; beyond, the connection is given up, so that a SIGTERM
 * does not wait for a video to arrive. */
#define DRAIN_MAX	(1024 * 1024)
/* UIDs per range of UID FETCH (UID RFC822.SIZE). */
#define SIZES_RANGE	20000
#define SIZES_MAX_CMDS	16

static int
uid_cmp(const void *a, const void *b)
{
	guint32 x = *(const guint32 *)a, y = *(const guint32 *)b;

	return x < y ? -1 : x > y;
}

/* A sorted copy of UIDS without duplicates or zeros; *nout its length. */
static guint32 *
uids_sorted(const guint32 *uids, size_t n, size_t *nout)
{
	guint32 *u = g_new(guint32, n > 0 ? n : 1);
	size_t k = 0;

	if (n > 0)
		memcpy(u, uids, n * sizeof *u);
	qsort(u, n, sizeof *u, uid_cmp);
	for (size_t i = 0; i < n; i++)
		if (u[i] != 0 && (k == 0 || u[k - 1] != u[i]))
			u[k++] = u[i];
	*nout = k;
	return u;
}

/* Append sorted U[*i..n) to OUT as a compressed set ("1:5,7"), stopping
 * before the text would pass MAX_SET_LEN or MAX_COUNT UIDs are in it. */
static void
uidset_take(GString *out, const guint32 *u, size_t *i, size_t n,
	    size_t max_count)
{
	size_t count = 0;

	g_string_truncate(out, 0);
	while (*i < n && count < max_count && out->len < MAX_SET_LEN) {
		size_t j = *i;

		while (j + 1 < n && u[j + 1] == u[j] + 1 &&
		    count + (j + 1 - *i) < max_count)
			j++;
		if (out->len > 0)
			g_string_append_c(out, ',');
		if (j > *i)
			g_string_append_printf(out, "%u:%u", u[*i], u[j]);
		else
			g_string_append_printf(out, "%u", u[*i]);
		count += j - *i + 1;
		*i = j + 1;
	}
}

/* The end of the value starting at P: an atom or number, a "{N}" literal
 * marker, a quoted string or a parenthesised list (nesting and quoting
 * respected). */
static const char *
value_skip(const char *p)
{
	int depth = 0;

	while (*p != '\0') {
		if (*p == '"') {
			for (p++; *p != '\0' && *p != '"'; p++)
				if (*p == '\\' && p[1] != '\0')
					p++;
			if (*p != '\0')
				p++;
		} else if (*p == '(') {
			depth++;
			p++;
		} else if (*p == ')') {
			if (depth == 0)
				return p;
			depth--;
			p++;
		} else if (*p == ' ' && depth == 0)
			return p;
		else
			p++;
		if (depth == 0 && (*p == ' ' || *p == ')'))
			return p;
	}
	return p;
}

/* Find the FETCH data item NAME in "* n FETCH (NAME value ...)" and point
 * VAL and VLEN at its value. Items are walked one by one, so a name inside
 * a quoted string or a list never matches. */
static gboolean
fetch_item(const char *line, const char *name, const char **val,
	   size_t *vlen)
{
	const char *p = line, *n0;
	size_t nlen = strlen(name);

	if (p[0] != '*' || p[1] != ' ')
		return FALSE;
	p += 2;
	p += strspn(p, "0123456789");
	if (g_ascii_strncasecmp(p, " FETCH (", 8) != 0)
		return FALSE;
	p += 8;
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == ')' || *p == '\0')
			return FALSE;
		n0 = p;
		/* BODY[HEADER.FIELDS (A B)] has spaces inside brackets */
		while (*p != '\0' && *p != ' ' && *p != ')') {
			if (*p == '[')
				while (*p != '\0' && *p != ']')
					p++;
			if (*p != '\0')
				p++;
		}
		if (*p != ' ')
			return FALSE;
		if ((size_t)(p - n0) == nlen &&
		    g_ascii_strncasecmp(n0, name, nlen) == 0) {
			*val = p + 1;
			*vlen = value_skip(p + 1) - (p + 1);
			return TRUE;
		}
		p = value_skip(p + 1);
	}
}

static gboolean
fetch_item_num(const char *line, const char *name, guint64 *out)
{
	const char *v;
	size_t n;

	return fetch_item(line, name, &v, &n) && imap_parse_num(v, n, out);
}

/* ---- UID FETCH (UID RFC822.SIZE) ---- */

typedef struct {
	guint32 uid;
	gint64 size;
} uid_size;

typedef struct {
	guint32 from;
	GArray *found;		/* of uid_size, in arrival order */
} sizes_state;

static void
sizes_untagged(imap_session *s, const char *line, void *user)
{
	sizes_state *st = user;
	guint64 uid, size;
	uid_size us;

	(void)s;
	if (!fetch_item_num(line, "UID", &uid) || uid > G_MAXUINT32 ||
	    !fetch_item_num(line, "RFC822.SIZE", &size))
		return;
	/* "N:*" always includes the highest UID (RFC 3501 6.4.8) */
	if (uid < st->from)
		return;
	us.uid = (guint32)uid;
	us.size = (gint64)size;
	g_array_append_val(st->found, us);
}

static int
uid_size_cmp(const void *a, const void *b)
{
	return uid_cmp(&((const uid_size *)a)->uid,
	    &((const uid_size *)b)->uid);
}

tl_status
imap_uid_sizes(imap_session *s, guint32 from_uid, GArray *uids,
	       GArray *sizes, char **errmsg)
{
	sizes_state ss = { from_uid > 0 ? from_uid : 1, NULL };
	guint tags[SIZES_MAX_CMDS + 1];
	guint ntags = 0;
	guint64 lo = ss.from, range = SIZES_RANGE;
	char *err = NULL;
	tl_status st;

	ss.found = g_array_new(FALSE, FALSE, sizeof(uid_size));
	if ((st = imap_check_usable(s, &err)) != TL_OK)
		goto out;
	/* Bounded by the UIDNEXT seen at SELECT, so that "nothing new"
	 * costs no command and the result matches the UIDNEXT the caller
	 * recorded; mail that arrives after the SELECT is listed by the next
	 * call. Split so that no single response is huge. */
	if (s->sel_uidnext > 0 && lo >= s->sel_uidnext)
		goto sort;		/* nothing new: no command at all */
	if (s->sel_uidnext > lo && (s->sel_uidnext - lo) / range >=
	    SIZES_MAX_CMDS)
		range = (s->sel_uidnext - lo) / SIZES_MAX_CMDS + 1;
	while (st == TL_OK && s->sel_uidnext > lo &&
	    ntags < SIZES_MAX_CMDS + 1) {
		guint64 hi = MIN(lo + range, (guint64)s->sel_uidnext) - 1;

		st = imap_cmd_send(s, &tags[ntags++], &err, "UID FETCH %"
		    G_GUINT64_FORMAT ":%" G_GUINT64_FORMAT " (UID RFC822.SIZE)",
		    lo, hi);
		lo = hi + 1;
	}
	/* no UIDNEXT from the server (RFC 3501 makes it optional) */
	if (st == TL_OK && s->sel_uidnext == 0)
		st = imap_cmd_send(s, &tags[ntags++], &err,
		    "UID FETCH %" G_GUINT64_FORMAT ":* (UID RFC822.SIZE)", lo);
	for (guint i = 0; st == TL_OK && i < ntags; i++) {
		imap_done d = { 0 };

		st = imap_cmd_wait(s, tags[i], sizes_untagged, NULL, &ss, &d,
		    &err);
		if (st == TL_OK && d.kind != IMAP_DONE_OK) {
			err = g_strdup_printf("%s: %s: UID FETCH of sizes: %s",
			    s->host, s->selected != NULL ? s->selected : "",
			    d.text);
			st = d.kind == IMAP_DONE_NO ? TL_TEMPFAIL :
			    TL_SOFTWARE;
			/* the other replies are read by later waits or
			 * ignored; the session stays usable */
		}
		g_free(d.text);
	}
	if (st != TL_OK)
		goto out;
sort:
	/* Dovecot runs pipelined FETCHes in parallel and interleaves their
	 * responses; the open range may repeat the highest UID */
	g_array_sort(ss.found, uid_size_cmp);
	for (guint i = 0; i < ss.found->len; i++) {
		uid_size *u = &g_array_index(ss.found, uid_size, i);

		if (i > 0 && u->uid == u[-1].uid)
			continue;
		g_array_append_val(uids, u->uid);
		g_array_append_val(sizes, u->size);
	}
out:
	g_array_free(ss.found, TRUE);
	if (errmsg != NULL)
		*errmsg = err;
	else
		g_free(err);
	return st;
}

/* ---- UID FETCH (UID BODY.PEEK[...]) into spool files ---- */

typedef struct {
	imap_session *s;
	spool_pool *spool;
	const char *item;	/* "BODY[]" or "BODY[HEADER]" in replies */
	imap_body_cb cb;
	void *user;
	const guint32 *uids;	/* sorted, unique: what was asked for */
	size_t n;
	guint8 *delivered;	/* per UID: a callback was made */
	/* the literal being received */
	int fd;
	char *path;
	gboolean reused;	/* path was written before: cut it to got */
	hash_content *hash;
	gint64 size, got;
	gboolean write_failed;
	safefile_wbuf out;	/* the spool file's bytes on their way */
	/* the outcome */
	gboolean stopped;	/* no more callbacks (callback failed or a
				 * spool file could not be written) */
	gint64 drained;		/* literal bytes dropped since */
	tl_status stop_status;
	char *stop_msg;
} fetch_state;

static void
spool_discard(fetch_state *f)
{
	safefile_wbuf_reset(&f->out, -1);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	spool_pool_give(f->spool, g_steal_pointer(&f->path));
	if (f->hash != NULL) {
		char hex[65];

		hash_content_finish(f->hash, hex);
		f->hash = NULL;
	}
}

static void
fetch_stop(fetch_state *f, tl_status st, char *msg)
{
	if (f->stopped) {
		g_free(msg);
		return;
	}
	f->stopped = TRUE;
	f->stop_status = st;
	f->stop_msg = msg;
}

/* A spool write failed (errno E): the fetch stops (TL_TEMPFAIL). */
static void
spool_failed(fetch_state *f, int e)
{
	f->write_failed = TRUE;
	fetch_stop(f, TL_TEMPFAIL, g_strdup_printf("spool file %s: %s",
	    f->path, g_strerror(e)));
}

/* Is the literal starting now the body item of a FETCH response? */
static imap_lit_action
fetch_lit_begin(void *user, const GString *line, gint64 size)
{
	fetch_state *f = user;
	const char *brace, *tok;
	size_t ilen = strlen(f->item);

	if (f->stopped) {
		f->drained += size;
		return f->drained > DRAIN_MAX ? IMAP_LIT_ABORT :
		    IMAP_LIT_DISCARD;
	}
	if (!g_str_has_prefix(line->str, "* ") ||
	    (brace = strrchr(line->str, '{')) == NULL)
		return IMAP_LIT_DISCARD;
	tok = brace;
	while (tok > line->str && tok[-1] == ' ')
		tok--;
	if ((size_t)(tok - line->str) < ilen + 1 ||
	    (tok[-(int)ilen - 1] != ' ' && tok[-(int)ilen - 1] != '(') ||
	    g_ascii_strncasecmp(tok - ilen, f->item, ilen) != 0)
		return IMAP_LIT_DISCARD;
	/* two bodies in one response: keep the last */
	spool_discard(f);
	f->fd = spool_pool_take(f->spool, &f->path, &f->reused);
	if (f->fd < 0) {
		int e = errno;

		fetch_stop(f, TL_TEMPFAIL, g_strdup_printf("spool directory "
		    "%s: cannot create a file: %s", spool_pool_dir(f->spool),
		    g_strerror(e)));
		return IMAP_LIT_DISCARD;
	}
	/* The server's TLS records carry about 4 KiB; written one by one
	 * they cost 133,000 writes for 537 MB of photo mail and a zeroing
	 * of every page a write left half covered (docs/performance.md,
	 * "Photo mail's system calls"): gathered into whole pages. */
	safefile_wbuf_reset(&f->out, f->fd);
	f->hash = hash_content_new();
	f->size = size;
	f->got = 0;
	f->write_failed = FALSE;
	return IMAP_LIT_TAKE;
}

static tl_status
fetch_lit_data(void *user, const char *buf, size_t len, char **errmsg)
{
	fetch_state *f = user;

	(void)errmsg;
	if (f->write_failed || f->fd < 0)
		return TL_OK;
	hash_content_update(f->hash, buf, len);
	f->got += len;
	if (!safefile_wbuf_put(&f->out, buf, len))
		spool_failed(f, f->out.err);
	return TL_OK;
}

static gboolean
fetch_wanted(fetch_state *f, guint32 uid, size_t *idx)
{
	size_t lo = 0, hi = f->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (f->uids[mid] == uid) {
			*idx = mid;
			return !f->delivered[mid];
		}
		if (f->uids[mid] < uid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return FALSE;
}

/* A whole FETCH response has arrived: hand its spool file over. */
static void
fetch_untagged(imap_session *s, const char *line, void *user)
{
	fetch_state *f = user;
	char hex[65];
	guint64 uid = 0;
	size_t idx;
	tl_status st;

	if (f->path == NULL)
		return;		/* a flag update, or a literal we skipped */
	if (!f->write_failed && !safefile_wbuf_flush(&f->out))
		spool_failed(f, f->out.err);
	/* A file used again may hold more of an earlier message. */
	if (f->reused && !f->write_failed && ftruncate(f->fd, f->got) != 0)
		spool_failed(f, errno);
	if (close(f->fd) != 0 && !f->write_failed)
		spool_failed(f, errno);
	f->fd = -1;
	hash_content_finish(f->hash, hex);
	f->hash = NULL;
	if (f->write_failed || f->stopped || f->got != f->size ||
	    !fetch_item_num(line, "UID", &uid) || uid > G_MAXUINT32 ||
	    !fetch_wanted(f, (guint32)uid, &idx)) {
		if (!f->write_failed && !f->stopped)
			log_debug("imap %s: unrequested body (uid %"
			    G_GUINT64_FORMAT ") dropped", s->host, uid);
		spool_discard(f);
		return;
	}
	f->delivered[idx] = 1;
	st = f->cb((guint32)uid, f->path, hex, f->size, f->user);
	g_clear_pointer(&f->path, g_free);	/* the callback owns it */
	if (st != TL_OK)
		fetch_stop(f, st, g_strdup_printf("%s uid %" G_GUINT64_FORMAT
		    ": fetch stopped by the caller (%s)", s->selected != NULL ?
		    s->selected : "", uid, tl_status_name(st)));
}

/* Fetch F->uids with "UID FETCH set (UID BODY.PEEK[SECTION])", keeping
 * FETCH_DEPTH commands in flight. */
static tl_status
fetch_run(imap_session *s, fetch_state *f, const char *section,
	  char **errmsg)
{
	imap_literal_sink sink = { fetch_lit_begin, fetch_lit_data, f };
	guint tags[FETCH_DEPTH];
	guint head = 0, inflight = 0;
	GString *set = g_string_new(NULL);
	size_t next = 0;
	tl_status st = TL_OK;

	safefile_wbuf_init(&f->out, -1);
	while (st == TL_OK && (inflight > 0 || (next < f->n && !f->stopped))) {
		imap_done d = { 0 };

		while (st == TL_OK && inflight < FETCH_DEPTH && next < f->n &&
		    !f->stopped) {
			uidset_take(set, f->uids, &next, f->n, FETCH_BATCH);
			st = imap_cmd_send(s, &tags[(head + inflight) %
			    FETCH_DEPTH], errmsg, "UID FETCH %s (UID "
			    "BODY.PEEK[%s])", set->str, section);
			if (st == TL_OK)
				inflight++;
		}
		if (st != TL_OK || inflight == 0)
			break;
		st = imap_cmd_wait(s, tags[head], fetch_untagged, &sink, f, &d,
		    errmsg);
		head = (head + 1) % FETCH_DEPTH;
		inflight--;
		if (st == TL_OK && d.kind == IMAP_DONE_NO &&
		    strstr(d.text, "[EXPUNGEISSUED]") != NULL)
			/* RFC 5530: messages expunged by another session;
			 * what arrived was handed over, the rest is gone */
			log_info("%s: %s: UID FETCH: %s", s->host,
			    s->selected != NULL ? s->selected : "", d.text);
		else if (st == TL_OK && d.kind == IMAP_DONE_NO) {
			/* anything else may be passing (the caller must
			 * not take a missing callback for "gone"): the
			 * batches already received were handed over */
			*errmsg = g_strdup_printf("%s: %s: UID FETCH: %s",
			    s->host, s->selected != NULL ? s->selected : "",
			    d.text);
			st = TL_TEMPFAIL;
		} else if (st == TL_OK && d.kind == IMAP_DONE_BAD) {
			*errmsg = g_strdup_printf("%s: UID FETCH rejected: %s",
			    s->host, d.text);
			st = TL_SOFTWARE;
		}
		g_free(d.text);
	}
	/* a cut connection leaves the message being received unfinished */
	spool_discard(f);
	safefile_wbuf_free(&f->out);
	g_string_free(set, TRUE);
	if (f->stopped) {
		/* the first cause wins: the drain may have been given up */
		g_free(*errmsg);
		*errmsg = g_steal_pointer(&f->stop_msg);
		st = f->stop_status;
	}
	g_free(f->stop_msg);
	return st;
}

tl_status
imap_fetch_bodies(imap_session *s, const guint32 *uids, size_t n,
		  spool_pool *spool, imap_body_cb cb, void *user,
		  char **errmsg)
{
	fetch_state f = { 0 };
	guint32 *sorted;
	char *err = NULL;
	tl_status st;

	f.s = s;
	f.spool = spool;
	f.item = "BODY[]";
	f.cb = cb;
	f.user = user;
	f.fd = -1;
	sorted = uids_sorted(uids, n, &f.n);
	f.uids = sorted;
	f.delivered = g_new0(guint8, f.n > 0 ? f.n : 1);
	if ((st = imap_check_usable(s, &err)) == TL_OK)
		st = fetch_run(s, &f, "", &err);
	g_free(f.delivered);
	g_free(sorted);
	if (errmsg != NULL)
		*errmsg = err;
	else
		g_free(err);
	return st;
}

static tl_status
header_keep(guint32 uid, const char *spool_path, const char *content_hash,
	    gint64 size, void *user)
{
	char **path = user;

	(void)uid;
	(void)content_hash;
	(void)size;
	*path = g_strdup(spool_path);
	return TL_OK;
}

tl_status
imap_fetch_header(imap_session *s, guint32 uid, spool_pool *spool,
		  char **spool_path, char **errmsg)
{
	fetch_state f = { 0 };
	guint8 delivered = 0;
	char *err = NULL, *path = NULL;
	tl_status st;

	*spool_path = NULL;
	f.s = s;
	f.spool = spool;
	f.item = "BODY[HEADER]";
	f.cb = header_keep;
	f.user = &path;
	f.fd = -1;
	f.uids = &uid;
	f.n = 1;
	f.delivered = &delivered;
	if ((st = imap_check_usable(s, &err)) == TL_OK)
		st = fetch_run(s, &f, "HEADER", &err);
	if (st == TL_OK && path == NULL) {
		err = g_strdup_printf("%s: %s uid %u: no such message",
		    s->host, s->selected != NULL ? s->selected : "", uid);
		st = TL_NOINPUT;
	}
	if (st == TL_OK)
		*spool_path = g_steal_pointer(&path);
	else
		spool_pool_give(spool, path);
	if (errmsg != NULL)
		*errmsg = err;
	else
		g_free(err);
	return st;
}

/* ---- STORE, MOVE, COPY, EXPUNGE ---- */

/* Send "UID VERB set ARGS" for all UIDS, split into sets that fit, all
 * pipelined; then wait for every reply. NO gives NO_STATUS (TL_CONFIG when
 * the text has [TRYCREATE]), BAD TL_SOFTWARE. */
static tl_status
uid_cmd_all(imap_session *s, const char *verb, const guint32 *uids,
	    size_t n, const char *args, tl_status no_status, char **errmsg)
{
	GArray *tags = g_array_new(FALSE, FALSE, sizeof(guint));
	GString *set = g_string_new(NULL);
	guint32 *sorted;
	size_t ns, i = 0;
	tl_status st = TL_OK, worst = TL_OK;

	/* ARGS may come from the configuration (a keyword): a CR or LF in
	 * it would end the command and start another */
	if (strpbrk(args, "\r\n") != NULL) {
		*errmsg = g_strdup_printf("UID %s: line break in '%s'", verb,
		    args);
		st = TL_CONFIG;
	}
	sorted = uids_sorted(uids, n, &ns);
	while (st == TL_OK && i < ns) {
		guint tag;

		uidset_take(set, sorted, &i, ns, G_MAXSIZE);
		st = imap_cmd_send(s, &tag, errmsg, "UID %s %s%s%s", verb,
		    set->str, *args != '\0' ? " " : "", args);
		if (st == TL_OK)
			g_array_append_val(tags, tag);
	}
	for (guint k = 0; st == TL_OK && k < tags->len; k++) {
		imap_done d = { 0 };

		st = imap_cmd_wait(s, g_array_index(tags, guint, k), NULL,
		    NULL, NULL, &d, errmsg);
		if (st == TL_OK && d.kind != IMAP_DONE_OK && worst == TL_OK) {
			worst = d.kind == IMAP_DONE_BAD ? TL_SOFTWARE :
			    strstr(d.text, "[TRYCREATE]") != NULL ?
			    TL_CONFIG : no_status;
			*errmsg = g_strdup_printf("%s: %s: UID %s: %s",
			    s->host, s->selected != NULL ? s->selected : "",
			    verb, d.text);
		}
		g_free(d.text);
	}
	if (st == TL_OK)
		st = worst;
	g_array_free(tags, TRUE);
	g_string_free(set, TRUE);
	g_free(sorted);
	return st;
}

tl_status
imap_uid_store(imap_session *s, const guint32 *uids, size_t n,
	       const char *flags_op, char **errmsg)
{
	char *err = NULL;
	tl_status st;

	if ((st = imap_check_usable(s, &err)) == TL_OK && n > 0)
		st = uid_cmd_all(s, "STORE", uids, n, flags_op, TL_TEMPFAIL,
		    &err);
	if (errmsg != NULL)
		*errmsg = err;
	else
		g_free(err);
	return st;
}

/* \Deleted, then UID EXPUNGE of exactly these UIDs where the server has
 * UIDPLUS; without it, leave them marked (see imap.h). */
static tl_status
delete_marked(imap_session *s, const guint32 *uids, size_t n, char **err)
{
	tl_status st;

	st = uid_cmd_all(s, "STORE", uids, n, "+FLAGS.SILENT (\\Deleted)",
	    TL_TEMPFAIL, err);
	if (st != TL_OK)
		return st;
	if (!imap_has_cap(s, "UIDPLUS")) {
		log_warn("%s: %s: the server has no UIDPLUS: %zu message(s) "
		    "left marked \\Deleted, not expunged (a plain EXPUNGE "
		    "would also remove other clients' deleted messages)",
		    s->host, s->selected != NULL ? s->selected : "", n);
		return TL_OK;
	}
	return uid_cmd_all(s, "EXPUNGE", uids, n, "", TL_TEMPFAIL, err);
}

tl_status
imap_uid_move(imap_session *s, const guint32 *uids, size_t n,
	      const char *folder, char **errmsg)
{
	GString *q = g_string_new(NULL);
	char *err = NULL;
	tl_status st;

	if ((st = imap_check_usable(s, &err)) != TL_OK || n == 0)
		goto out;
	if ((st = imap_quote_mailbox(q, folder, &err)) != TL_OK)
		goto out;
	if (imap_has_cap(s, "MOVE")) {
		st = uid_cmd_all(s, "MOVE", uids, n, q->str, TL_TEMPFAIL,
		    &err);
		goto out;
	}
	/* RFC 6851 3.3: COPY, then mark and expunge; the copy must have
	 * succeeded before anything is marked \Deleted */
	st = uid_cmd_all(s, "COPY", uids, n, q->str, TL_TEMPFAIL, &err);
	if (st == TL_OK)
		st = delete_marked(s, uids, n, &err);
out:
	g_string_free(q, TRUE);
	if (errmsg != NULL)
		*errmsg = err;
	else
		g_free(err);
	return st;
}

tl_status
imap_uid_delete(imap_session *s, const guint32 *uids, size_t n,
		char **errmsg)
{
	char *err = NULL;
	tl_status st;

	if ((st = imap_check_usable(s, &err)) == TL_OK && n > 0)
		st = delete_marked(s, uids, n, &err);
	if (errmsg != NULL)
		*errmsg = err;
	else
		g_free(err);
	return st;
}
