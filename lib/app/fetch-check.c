/* fetch-check.c - what `tipline doctor` tries on the server for the next
 * fetch (see fetch_check_server() in fetch.h). The names are resolved by
 * the very functions fetch uses (fetch-names.c), so doctor and fetch
 * cannot disagree about what "Tipline/Done" means on a server. */
#include <string.h>

#include "fetch-names-priv.h"

void
fetch_check_free(fetch_check *c)
{
	if (c == NULL)
		return;
	g_free(c->label);
	g_free(c->text);
	g_free(c);
}

static tl_status
add(GPtrArray *out, const char *label, tl_status rc, char *text)
{
	fetch_check *c = g_new0(fetch_check, 1);

	c->label = g_strdup(label);
	c->text = text;
	c->rc = rc;
	g_ptr_array_add(out, c);
	return rc;
}

/* The URL's mailbox: exists, selectable, writable when it must be. */
static tl_status
check_source(fetch_run *r, GPtrArray *out)
{
	guint32 uv = 0, un = 0;
	char *err = NULL;
	tl_status rc;

	rc = imap_select(r->s, r->mailbox, &uv, &un, &err);
	if (rc == TL_CONFIG)
		rc = fetch_names_explain(r, 0, rc, &err);
	if (rc != TL_OK)
		return add(out, "folder", rc, err);
	if (imap_selected_read_only(r->s) &&
	    r->mb->after_fetch != AFTER_FETCH_NONE)
		return add(out, "folder", TL_NOPERM, g_strdup_printf(
			"%s: read-only for this login, so after_fetch cannot "
			"be applied: ask for write access, or set "
			"after_fetch = none", r->mailbox));
	return add(out, "folder", TL_OK, g_strdup_printf("%s: exists, "
		   "selectable%s", r->mailbox,
		   imap_selected_read_only(r->s) ? ", read-only" :
		   ", read-write"));
}

/* The move target: translated, not the source, exists, writable. */
static tl_status
check_target(fetch_run *r, GPtrArray *out)
{
	const char *conf = r->mb->after_fetch_folder;
	imap_mailbox_info info;
	gboolean checked = FALSE;
	char *err = NULL, *shown;
	tl_status rc;

	rc = fetch_names_resolve(r, 1, &err);
	if (rc != TL_OK)
		return add(out, "move to", rc, err);
	shown = strcmp(conf, r->move_folder) == 0 ? g_strdup(conf) :
		g_strdup_printf("%s (\"%s\" in the configuration)",
				r->move_folder, conf);
	rc = imap_list_mailbox(r->s, r->move_folder, &info, &err);
	if (rc == TL_OK && !info.exists) {
		err = g_strdup_printf("%s does not exist on the server: create "
				      "it (any mail client can), or change "
				      "after_fetch (%s:%d)", shown,
				      r->cfg != NULL && r->cfg->path != NULL ?
				      r->cfg->path : "?",
				      r->mb->after_fetch_line);
		rc = TL_CONFIG;
	} else if (rc == TL_OK && !info.selectable) {
		err = g_strdup_printf("%s is only a folder of folders "
				      "(\\Noselect): it cannot hold messages; "
				      "name one of its folders", shown);
		rc = TL_CONFIG;
	} else if (rc == TL_OK) {
		rc = imap_folder_writable(r->s, r->move_folder, &checked,
					  &err);
	}
	if (rc != TL_OK) {
		g_free(shown);
		return add(out, "move to", rc, err);
	}
	rc = add(out, "move to", TL_OK, g_strdup_printf("%s: exists%s",
		 shown, checked ? ", this login may add messages" :
		 " (the server has no ACL: write access is proven by the "
		 "first move)"));
	g_free(shown);
	return rc;
}

tl_status
fetch_check_server(imap_session *s, const tl_config *cfg,
		   const tl_mailbox_conf *mb, GPtrArray *out,
		   char **mailbox_out)
{
	fetch_run r;
	char *err = NULL;
	tl_status rc, worst;

	memset(&r, 0, sizeof r);
	r.s = s;
	r.cfg = cfg;
	r.mb = mb;
	rc = fetch_names_resolve(&r, 0, &err);
	if (rc != TL_OK) {
		worst = add(out, "folder", rc, err);
		goto out;
	}
	worst = check_source(&r, out);
	if (mb->after_fetch == AFTER_FETCH_MOVE && imap_session_usable(s))
		worst = tl_status_worst(worst, check_target(&r, out));
out:
	*mailbox_out = g_steal_pointer(&r.mailbox);
	g_free(r.move_folder);
	return worst;
}
