/* mime-stream-priv.h - a GMimeStream that hands out at most N bytes per read,
 * over any other stream.  Tests parse every fixture through it with N = 1
 * ("feed tests one byte at a time", as GMime's own tests do) to catch
 * chunk-boundary bugs in the parser path and in tipline's decoders;
 * substreams (part contents) are chunked too.
 */
#ifndef TIPLINE_MIME_STREAM_H
#define TIPLINE_MIME_STREAM_H

#include <stddef.h>
#include <gmime/gmime.h>

/* A new stream reading INNER (a new reference is taken) at most CHUNK
 * bytes at a time, with INNER's bounds.  Caller unrefs. */
GMimeStream *mime_stream_chunked_new(GMimeStream *inner, size_t chunk);

#endif
