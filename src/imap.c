/* imap.c - placeholder so that callers link while the transport is written;
 * every call fails with TL_SOFTWARE. */
#include "imap.h"

tl_status
imap_connect(const imap_params *p, imap_session **out, char **errmsg)
{
	(void)p;
	*out = NULL;
	if (errmsg != NULL)
		*errmsg = g_strdup("imap: not implemented yet");
	return TL_SOFTWARE;
}

const char *
imap_url_mailbox(const imap_session *s)
{
	(void)s;
	return "INBOX";
}

const char *
imap_session_host(const imap_session *s)
{
	(void)s;
	return "";
}

gboolean
imap_has_cap(imap_session *s, const char *cap)
{
	(void)s;
	(void)cap;
	return FALSE;
}

static tl_status
stub(char **errmsg)
{
	if (errmsg != NULL)
		*errmsg = g_strdup("imap: not implemented yet");
	return TL_SOFTWARE;
}

tl_status
imap_status(imap_session *s, const char *mailbox, guint32 *uidvalidity,
	    guint32 *uidnext, guint32 *messages, char **errmsg)
{
	(void)s; (void)mailbox; (void)uidvalidity; (void)uidnext;
	(void)messages;
	return stub(errmsg);
}

tl_status
imap_select(imap_session *s, const char *mailbox, guint32 *uidvalidity,
	    guint32 *uidnext, char **errmsg)
{
	(void)s; (void)mailbox; (void)uidvalidity; (void)uidnext;
	return stub(errmsg);
}

tl_status
imap_uid_sizes(imap_session *s, guint32 from_uid, GArray *uids,
	       GArray *sizes, char **errmsg)
{
	(void)s; (void)from_uid; (void)uids; (void)sizes;
	return stub(errmsg);
}

tl_status
imap_fetch_bodies(imap_session *s, const guint32 *uids, size_t n,
		  const char *spool_dir, imap_body_cb cb, void *user,
		  char **errmsg)
{
	(void)s; (void)uids; (void)n; (void)spool_dir; (void)cb; (void)user;
	return stub(errmsg);
}

tl_status
imap_fetch_header(imap_session *s, guint32 uid, const char *spool_dir,
		  char **spool_path, char **errmsg)
{
	(void)s; (void)uid; (void)spool_dir; (void)spool_path;
	return stub(errmsg);
}

tl_status
imap_uid_store(imap_session *s, const guint32 *uids, size_t n,
	       const char *flags_op, char **errmsg)
{
	(void)s; (void)uids; (void)n; (void)flags_op;
	return stub(errmsg);
}

tl_status
imap_uid_move(imap_session *s, const guint32 *uids, size_t n,
	      const char *folder, char **errmsg)
{
	(void)s; (void)uids; (void)n; (void)folder;
	return stub(errmsg);
}

tl_status
imap_uid_delete(imap_session *s, const guint32 *uids, size_t n,
		char **errmsg)
{
	(void)s; (void)uids; (void)n;
	return stub(errmsg);
}

guint
imap_session_commands_sent(const imap_session *s)
{
	(void)s;
	return 0;
}

void
imap_logout(imap_session *s)
{
	(void)s;
}
