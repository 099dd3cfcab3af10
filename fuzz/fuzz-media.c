/* fuzz-media.c - libFuzzer target for media_scan (src/media.h): the Exif
 * (libexif), XMP (libxml2), MP4/QuickTime/HEIF box walk, zip names (with
 * inner zips inflated) and name checks that every attachment goes
 * through, and the photo/video facts gathered on the way.  The first byte
 * picks a chunk size so that chunk boundaries are fuzzed as well; a NUL in
 * the input ends a file name that is scanned with the rest as content.
 */
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "media.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	media_scan *m;
	const uint8_t *nul;
	char *name = NULL, *danger = NULL;
	size_t chunk;
	gboolean gps;
	double lat, lon;
	media_facts facts;

	if (size < 1)
		return 0;
	chunk = data[0] == 0 ? size : data[0];
	data++;
	size--;
	nul = memchr(data, '\0', MIN(size, (size_t)64));
	if (nul != NULL && nul - data < 64 && data[0] == '@') {
		name = g_strndup((const char *)data + 1,
				 (gsize)(nul - data - 1));
		size -= (size_t)(nul - data) + 1;
		data = nul + 1;
	}
	m = media_scan_new("application/octet-stream", name);
	for (size_t i = 0; i < size; i += chunk)
		media_scan_feed(m, data + i, MIN(chunk, size - i));
	media_scan_finish_facts(m, &facts, &gps, &lat, &lon, &danger);
	media_facts_clear(&facts);
	g_free(danger);
	g_free(name);
	return 0;
}
