/* media-facts.c - recording a position or a text fact found in a file's
 * metadata, the same way whichever reader found it (see
 * media-facts-priv.h).
 */
#include <math.h>
#include <string.h>

#include "media-facts-priv.h"

void
media_pos_set(media_pos *m, double lat, double lon)
{
	/* 0,0 is what cameras without a fix write; nobody sends tips from
	 * the Gulf of Guinea's null island. */
	if (m->found || isnan(lat) || isnan(lon) || fabs(lat) > 90 ||
	    fabs(lon) > 180 || (lat == 0 && lon == 0))
		return;
	m->found = TRUE;
	m->lat = lat;
	m->lon = lon;
}

void
media_facts_set_text(char **slot, const void *p, size_t len)
{
	GString *s;
	char *v;

	if (*slot != NULL || p == NULL)
		return;
	v = g_utf8_make_valid(p, (gssize)MIN(len, (size_t)256));
	s = g_string_new(NULL);
	for (const char *c = v; *c != '\0'; c = g_utf8_next_char(c)) {
		gunichar u = g_utf8_get_char(c);

		if (!g_unichar_iscntrl(u) && u != 0x202e && s->len < 124)
			g_string_append_unichar(s, u);
	}
	g_free(v);
	g_strstrip(s->str);
	if (*s->str != '\0')
		*slot = g_strdup(s->str);
	g_string_free(s, TRUE);
}
