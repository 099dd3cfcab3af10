/* preview.h - the protocol of tipline-preview, the worker that turns an
 * untrusted photo or video clip into a small JPEG.  The only public
 * header of preview/; the client (preview_run_fd in lib/app/app.h) and
 * the worker (preview/main.c) both follow it.
 *
 * Why a separate executable: decoding a reader's photo or clip is the
 * riskiest thing tipline does (libjpeg, libspng, libwebp, libheif,
 * libde265, FFmpeg), so it runs in a process of its own that a hostile
 * file can crash or stall without harming the server, and the image and
 * video libraries are linked only here, never into `tipline` (the cron
 * `fetch` must not load them, issue 12).
 *
 * Invocation:
 *
 *   tipline-preview [--size PX] [--max-pixels N] [--max-bytes N]
 *                   [--memory MIB] [--cpu SECONDS] image|video
 *   tipline-preview --sandbox-info
 *
 *   stdin   the attachment's bytes.  A regular file or memfd is mapped
 *           (the whole file, whatever its offset; a clip must be
 *           seekable because MP4 keeps its index at either end); a pipe
 *           is read to its end.  More than --max-bytes: no preview.
 *   stdout  on success only, one baseline JPEG (quality 80, sRGB) that
 *           fits in PX x PX (default 480: two columns of a queue page on
 *           a high-density screen), never enlarged, upright (EXIF
 *           orientation or the clip's display matrix applied), with no
 *           metadata at all (no Exif, XMP, IPTC, ICC, comment).
 *   stderr  on failure, one line "tipline-preview: no preview: REASON"
 *           (or "tipline-preview: REASON" for usage and setup errors).
 *   exit    PREVIEW_EXIT_OK, PREVIEW_EXIT_NONE, PREVIEW_EXIT_USAGE or
 *           PREVIEW_EXIT_SETUP; death by a signal (SIGKILL from the
 *           client's timeout, SIGXCPU/SIGKILL from RLIMIT_CPU, SIGSEGV
 *           from a decoder bug) means no preview too.
 *
 * image: JPEG, PNG, WebP and HEIC/HEIF only (libvips 8.14 with every
 * other loader blocked, vips_block_untrusted_set); the pixel count is
 * read from the header and checked against --max-pixels before any
 * pixel is decoded; a truncated file is refused, not padded with grey.
 * The first frame or page only.
 * video: MP4/MOV/3GP (FFmpeg's "mov" demuxer only, no probing) with
 * H.264, HEVC, MPEG-4 Part 2, VP9 or AV1; the frame at about one
 * second (the middle of a shorter clip), display rotation applied in
 * steps of 90 degrees (a mirrored matrix is shown unmirrored).
 *
 * Isolation, set up before the input is touched: every fd above 2
 * closed, no new privileges, not dumpable, RLIMIT_CORE 0, RLIMIT_AS
 * --memory, RLIMIT_CPU --cpu, RLIMIT_FSIZE the largest output, then a
 * new user and network namespace when the kernel allows one (no
 * network at all), and once the libraries are loaded and the input
 * mapped, RLIMIT_NOFILE 3: no file or socket can be opened any more,
 * which keeps the network out where namespaces are not allowed.  The
 * wall-clock timeout is the client's: it kills the worker.
 */
#ifndef TIPLINE_PREVIEW_H
#define TIPLINE_PREVIEW_H

/* Exit codes. */
#define PREVIEW_EXIT_OK		0	/* a JPEG on stdout */
#define PREVIEW_EXIT_NONE	3	/* no preview: unsupported, too
					 * large or broken input; the
					 * reason on stderr */
#define PREVIEW_EXIT_USAGE	64	/* bad arguments (EX_USAGE) */
#define PREVIEW_EXIT_SETUP	71	/* limits or libraries could not
					 * be set up (EX_OSERR) */

/* Defaults of the options above. */
#define PREVIEW_DEFAULT_SIZE		480
#define PREVIEW_DEFAULT_MAX_PIXELS	120000000ULL	/* 120 Mpx: a
					 * 108 Mpx phone photo passes,
					 * 30000 x 30000 does not */
#define PREVIEW_DEFAULT_MAX_BYTES	(512ULL << 20)	/* input */
#define PREVIEW_DEFAULT_MEMORY_MIB	1024	/* RLIMIT_AS */
#define PREVIEW_DEFAULT_CPU_SECONDS	20	/* RLIMIT_CPU */

/* The largest JPEG the worker writes (RLIMIT_FSIZE) and the client
 * accepts; a 480 x 480 JPEG is about 50 KiB. */
#define PREVIEW_MAX_OUTPUT		(4U << 20)

/* The version of what the worker makes: the preview cache (schema.sql
 * table preview) keys on it, so raising it when the output changes
 * (size rules, quality, a fixed decoder) makes every preview again. */
#define PREVIEW_VERSION			1

/* The executable's name, looked up beside the running program. */
#define PREVIEW_WORKER_NAME		"tipline-preview"

#endif
