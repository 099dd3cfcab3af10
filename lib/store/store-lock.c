/* store-lock.c - one fetcher per mailbox (see store.h): nothing to hold
 * on SQLite, an advisory lock on PostgreSQL (pg-lock.c). */
#include "store-priv.h"
#include "pg-lock-priv.h"

tl_status
store_mailbox_lock_try(store *st, const char *mailbox, int *held)
{
	pg_db *pg = store_pg(st);

	*held = 1;
	if (pg == NULL)
		return TL_OK;	/* DATABASE.lock covers the whole file */
	return pg_mailbox_lock_try(pg, pg_mailbox_key(mailbox), held);
}

tl_status
store_mailbox_lock_check(store *st, const char *mailbox)
{
	pg_db *pg = store_pg(st);

	if (pg == NULL)
		return TL_OK;
	return pg_mailbox_lock_check(pg, pg_mailbox_key(mailbox), mailbox);
}

void
store_mailbox_unlock(store *st, const char *mailbox)
{
	pg_db *pg = store_pg(st);

	if (pg != NULL)
		pg_mailbox_unlock(pg, pg_mailbox_key(mailbox));
}

tl_status
store_mailbox_lock_holder(store *st, const char *mailbox, char **who)
{
	pg_db *pg = store_pg(st);

	*who = NULL;
	if (pg == NULL)
		return TL_OK;
	return pg_mailbox_lock_holder(pg, pg_mailbox_key(mailbox), who);
}
