/* emit.c - the emitter wrappers and key/value helpers (emit.h). */
#include "emit.h"

void
emit_begin_map(emitter *e)
{
	e->begin_map(e);
}

void
emit_begin_list(emitter *e)
{
	e->begin_list(e);
}

void
emit_end(emitter *e)
{
	e->end(e);
}

void
emit_key(emitter *e, const char *key)
{
	e->map_key(e, key);
}

void
emit_string(emitter *e, const char *s)
{
	e->string(e, s);
}

void
emit_integer(emitter *e, gint64 v)
{
	e->integer(e, v);
}

void
emit_real(emitter *e, double v)
{
	e->real(e, v);
}

void
emit_boolean(emitter *e, gboolean v)
{
	e->boolean(e, v);
}

void
emit_null(emitter *e)
{
	e->null(e);
}

char *
emit_finish(emitter *e)
{
	return e->finish(e);
}


void
emit_pair_str(emitter *e, const char *key, const char *v)
{
	e->map_key(e, key);
	e->string(e, v);
}

void
emit_pair_int(emitter *e, const char *key, gint64 v)
{
	e->map_key(e, key);
	e->integer(e, v);
}

void
emit_pair_int_opt(emitter *e, const char *key, gint64 v, gint64 none)
{
	e->map_key(e, key);
	if (v == none)
		e->null(e);
	else
		e->integer(e, v);
}

void
emit_pair_bool(emitter *e, const char *key, gboolean v)
{
	e->map_key(e, key);
	e->boolean(e, v);
}
