/* media-xmp.c - the photo facts and GPS position of an XMP packet (see
 * media-xmp.h).
 */
#include <math.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "media-facts-priv.h"
#include "media-xmp-priv.h"

#define NS_EXIF	"http://ns.adobe.com/exif/1.0/"
#define NS_TIFF	"http://ns.adobe.com/tiff/1.0/"
#define NS_XMP	"http://ns.adobe.com/xap/1.0/"

/* An XMP GPSCoordinate (XMP Specification part 2, 1.2.7.4): "DDD,MM,SSk"
 * or "DDD,MM.mmk", k one of N S E W; a plain signed decimal is read too.
 * NAN when unusable or the letter is not one of POS/NEG. */
static double
xmp_coord(const char *s, char pos, char neg)
{
	double part[3] = { 0, 0, 0 }, v;
	int n = 0, sign = 1;
	const char *p = s;
	char *end;
	char k;

	while (g_ascii_isspace(*p))
		p++;
	for (;;) {
		if (n == 3 || (!g_ascii_isdigit(*p) && (n > 0 ||
		    (*p != '-' && *p != '+'))))
			return NAN;
		part[n] = g_ascii_strtod(p, &end);
		if (end == p || !isfinite(part[n]))
			return NAN;
		n++;
		p = end;
		if (*p != ',')
			break;
		p++;
	}
	if (part[1] >= 60 || part[2] >= 60)
		return NAN;
	k = g_ascii_toupper(*p);
	if (k != '\0')
		p++;
	while (g_ascii_isspace(*p))
		p++;
	if (*p != '\0')
		return NAN;
	if (k == neg)
		sign = -1;
	else if (k != pos && !(k == '\0' && n == 1))
		return NAN;		/* "16,3.264" says no hemisphere */
	if (part[0] < 0 && k != '\0')
		return NAN;
	v = part[0] + part[1] / 60 + part[2] / 3600;
	return sign * v;
}

typedef struct {
	char *lat, *lon, *when, *make, *model, *orient;
} xmp_vals;

/* Property NAME in namespace NS with text VALUE: keep what we want. */
static void
xmp_prop(xmp_vals *x, const xmlChar *ns, const xmlChar *name,
	 const xmlChar *value)
{
	const char *n = (const char *)name, *u = (const char *)ns;
	char **slot = NULL;

	if (u == NULL || value == NULL)
		return;
	if (strcmp(u, NS_EXIF) == 0) {
		if (strcmp(n, "GPSLatitude") == 0)
			slot = &x->lat;
		else if (strcmp(n, "GPSLongitude") == 0)
			slot = &x->lon;
		else if (strcmp(n, "DateTimeOriginal") == 0)
			slot = &x->when;
	} else if (strcmp(u, NS_TIFF) == 0) {
		if (strcmp(n, "Make") == 0)
			slot = &x->make;
		else if (strcmp(n, "Model") == 0)
			slot = &x->model;
		else if (strcmp(n, "Orientation") == 0)
			slot = &x->orient;
	} else if (strcmp(u, NS_XMP) == 0 && strcmp(n, "CreateDate") == 0 &&
	    x->when == NULL)
		slot = &x->when;
	if (slot != NULL)
		media_facts_set_text(slot, value, strlen((const char *)value));
}

/* Properties are written as attributes of rdf:Description or as child
 * elements with text (XMP part 1, 7.9.2.2); both are read.  An
 * element's children are walked with a loop, the depth is libxml2's
 * (at most 256). */
static void
xmp_walk(xmp_vals *x, xmlNode *node)
{
	for (xmlNode *n = node; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		for (xmlAttr *a = n->properties; a != NULL; a = a->next) {
			xmlChar *v;

			if (a->ns == NULL)
				continue;
			v = xmlNodeGetContent((xmlNode *)a);
			xmp_prop(x, a->ns->href, a->name, v);
			xmlFree(v);
		}
		if (n->ns != NULL && n->children != NULL &&
		    n->children->type == XML_TEXT_NODE &&
		    n->children->next == NULL)
			xmp_prop(x, n->ns->href, n->name,
				 n->children->content);
		xmp_walk(x, n->children);
	}
}

/* The XMP packet in P[0..LEN) (x:xmpmeta, or a bare rdf:RDF), or NULL;
 * *plen its length. */
static const guint8 *
xmp_find(const guint8 *p, size_t len, size_t *plen)
{
	static const char *const tags[][2] = {
		{ "<x:xmpmeta", "</x:xmpmeta>" }, { "<rdf:RDF", "</rdf:RDF>" },
	};

	for (gsize t = 0; t < G_N_ELEMENTS(tags); t++) {
		const guint8 *s = memmem(p, len, tags[t][0],
					 strlen(tags[t][0]));
		const guint8 *e;
		size_t rest;

		if (s == NULL)
			continue;
		rest = MIN(len - (size_t)(s - p), (size_t)MEDIA_XMP_MAX);
		e = memmem(s, rest, tags[t][1], strlen(tags[t][1]));
		if (e == NULL)
			return NULL;
		*plen = (size_t)(e - s) + strlen(tags[t][1]);
		return s;
	}
	return NULL;
}

gboolean
media_xmp_scan(const guint8 *p, size_t len, media_xmp *out)
{
	const guint8 *pk;
	size_t n = 0;
	xmlDoc *doc;
	xmp_vals x = { 0 };
	double lat, lon;

	memset(out, 0, sizeof *out);
	if ((pk = xmp_find(p, len, &n)) == NULL)
		return FALSE;
	/* No DTDs: nothing to expand, nothing to fetch. */
	if (memmem(pk, n, "<!DOCTYPE", 9) != NULL ||
	    memmem(pk, n, "<!ENTITY", 8) != NULL)
		return FALSE;
	doc = xmlReadMemory((const char *)pk, (int)n, NULL, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	if (doc == NULL)
		return FALSE;
	xmp_walk(&x, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
	if (x.lat != NULL && x.lon != NULL) {
		lat = xmp_coord(x.lat, 'N', 'S');
		lon = xmp_coord(x.lon, 'E', 'W');
		if (!isnan(lat) && !isnan(lon)) {
			out->has_pos = TRUE;
			out->lat = lat;
			out->lon = lon;
		}
	}
	out->taken = x.when;
	out->make = x.make;
	out->model = x.model;
	if (x.orient != NULL && x.orient[0] >= '1' && x.orient[0] <= '8' &&
	    x.orient[1] == '\0')
		out->orientation = x.orient[0] - '0';
	g_free(x.lat);
	g_free(x.lon);
	g_free(x.orient);
	return TRUE;
}

void
media_xmp_clear(media_xmp *x)
{
	g_free(x->taken);
	g_free(x->make);
	g_free(x->model);
	memset(x, 0, sizeof *x);
}
