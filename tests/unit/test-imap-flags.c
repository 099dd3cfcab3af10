/* test-imap-flags.c - changing mailboxes with the IMAP transport
 * (lib/imap) on a private Dovecot (fixture-imap.h): MOVE, and its COPY +
 * STORE + EXPUNGE fallback on servers that hide MOVE (and UIDPLUS);
 * STORE of flags over sparse UID sets; deletion. Skips (TAP) without
 * dovecot.
 */
#include <string.h>

#include <glib.h>

#include "util.h"
#include "imap.h"
#include "fixture-imap.h"

/* Move 2 and 4 out of 5 messages with MOVE, or with COPY + STORE +
 * EXPUNGE when the server hides MOVE (and UIDPLUS). Message 1 was marked
 * \Deleted by "another client" and must survive. */
static void
move_case(fixture *f, gboolean has_move, gboolean has_uidplus)
{
	guint32 del[] = { 1 }, mv[] = { 4, 2 };
	imap_session *s;
	char *err = NULL, *names;
	guint before;

	fixture_seed_count(f, "Src", 5);
	fixture_seed_count(f, "Done", 1);
	s = fixture_connect(f, "Src", NULL);
	g_assert_cmpint(imap_has_cap(s, "MOVE"), ==, has_move);
	g_assert_cmpint(imap_has_cap(s, "UIDPLUS"), ==, has_uidplus);
	g_assert_cmpint(imap_select(s, "Src", NULL, NULL, &err), ==, TL_OK);
	g_assert_cmpint(imap_uid_store(s, del, 1, "+FLAGS.SILENT (\\Deleted)",
	    &err), ==, TL_OK);
	before = imap_session_commands_sent(s);
	g_assert_cmpint(imap_uid_move(s, mv, 2, "Done", &err), ==, TL_OK);
	/* MOVE: one command; else COPY, STORE, and UID EXPUNGE if UIDPLUS */
	g_assert_cmpuint(imap_session_commands_sent(s) - before, ==,
	    has_move ? 1 : has_uidplus ? 3 : 2);
	g_assert_cmpuint(fixture_count_in(s, "Done"), ==, 3);
	g_assert_cmpuint(fixture_count_in(s, "Src"), ==,
	    has_move || has_uidplus ? 3 : 5);
	/* the other client's \Deleted message is still there */
	names = fixture_maildir_names(f, "Src");
	g_assert_nonnull(strstr(names, "M1P"));
	g_free(names);
	/* a missing folder is a configuration error */
	g_assert_cmpint(imap_uid_move(s, del, 1, "NoSuchFolder", &err), ==,
	    TL_CONFIG);
	g_assert_nonnull(strstr(err, "TRYCREATE"));
	g_clear_pointer(&err, g_free);
	imap_logout(s);
}

static void
test_move(void)
{
	move_case(&fx, TRUE, TRUE);
}

static void
test_move_fallback(void)
{
	move_case(&fx_nomove, FALSE, TRUE);
	move_case(&fx_nomove_nouidplus, FALSE, FALSE);
}

static void
test_store_delete(void)
{
	guint32 all[600], two[] = { 2 };
	imap_session *s;
	char *err = NULL, *names;

	for (int i = 0; i < 600; i++)
		all[i] = 600 - i;	/* any order, sparse sets below */
	fixture_seed_count(&fx, "Flags", 600);
	s = fixture_connect(&fx, "Flags", NULL);
	g_assert_cmpint(imap_select(s, "Flags", NULL, NULL, &err), ==, TL_OK);
	g_assert_cmpint(imap_uid_store(s, two, 1, "+FLAGS.SILENT (\\Seen)",
	    &err), ==, TL_OK);
	names = fixture_maildir_names(&fx, "Flags");
	g_assert_nonnull(strstr(names, "M2P"));
	g_assert_nonnull(strstr(strstr(names, "M2P"), ":2,S\n"));
	g_free(names);
	g_assert_cmpint(imap_uid_store(s, two, 1, "-FLAGS.SILENT (\\Seen)",
	    &err), ==, TL_OK);
	g_assert_cmpint(imap_uid_store(s, all, 600, "+FLAGS.SILENT "
	    "($Tipline)", &err), ==, TL_OK);
	/* Dovecot answers BAD to an unknown system flag: a bug of ours, and
	 * the session survives it */
	g_assert_cmpint(imap_uid_store(s, two, 1, "+FLAGS.SILENT (\\Bogus)",
	    &err), ==, TL_SOFTWARE);
	g_assert_nonnull(strstr(err, "UID STORE"));
	g_clear_pointer(&err, g_free);
	/* a keyword from the configuration cannot smuggle a command */
	g_assert_cmpint(imap_uid_store(s, two, 1, "+FLAGS.SILENT (a)\r\n"
	    "t99 DELETE INBOX", &err), ==, TL_CONFIG);
	g_clear_pointer(&err, g_free);
	{
		/* every odd UID: 300 ranges that cannot be compressed */
		guint32 odd[300];

		for (int i = 0; i < 300; i++)
			odd[i] = 2 * i + 1;
		g_assert_cmpint(imap_uid_delete(s, odd, 300, &err), ==, TL_OK);
	}
	g_assert_cmpuint(fixture_count_in(s, "Flags"), ==, 300);
	imap_logout(s);
}

int
main(int argc, char **argv)
{
	int rc;

	if (!fixture_setup(&argc, &argv))
		return 0;
	g_test_add_func("/imap/move", test_move);
	g_test_add_func("/imap/move-fallback", test_move_fallback);
	g_test_add_func("/imap/store-delete", test_store_delete);
	rc = g_test_run();
	fixture_teardown();
	return rc;
}
