/* message.h - the parser: one message (RFC 5322, MIME) into a typed
 * submission; knows no network, no database, no configuration file.
 * The only public header of lib/mime.
 *
 * Sections, one per module: message, mbox, redact.
 */
#ifndef TIPLINE_MESSAGE_H
#define TIPLINE_MESSAGE_H

#include <glib.h>

#include "util.h"
#include "media.h"

/* ==== message ==== */

/* message.h - one RFC 5322 message, parsed with GMime 3 into what an editor
 * needs: sender, subject, date, text, attachments, forwarded messages and
 * the flags that keep sources safe.
 *
 * Input is always a file (a spool file, an imported .eml, or raw bytes
 * copied out of the store): GMime parses a seekable file stream in constant
 * memory and leaves part contents on disk until they are read.
 *
 * Every string in a msg_submission is valid UTF-8 in NFC with LF line ends,
 * or NULL when the message did not have it.
 */

/* Limits on what a message may contain before it is quarantined
 * (the [limits] section of tipline.conf(5), read by lib/app); every
 * field is a count or bytes. */
typedef struct {
	int max_mime_depth;	/* default 32 */
	int max_parts;		/* default 1000 */
	gint64 max_header_bytes;	/* one header block; default 1 MiB */
} tl_parse_limits;

/* The defaults above, the one home of each (the parser without a
 * configuration and lib/app's [limits] both use them). */
#define TL_PARSE_LIMITS_DEFAULT	{ 32, 1000, 1024 * 1024 }

/* One leaf MIME part that is not body text (see expected.json "rules"). */
typedef struct {
	char *filename;		/* NFC, never NULL: generated from the type
				 * ("attachment-2.jpg") when the part has
				 * none */
	gboolean name_generated;	/* filename was generated */
	char *content_type;	/* lower-case "type/subtype" */
	char *disposition;	/* "attachment" or "inline" */
	char *content_id;	/* without angle brackets, or NULL */
	char *part_path;	/* position in the MIME tree ("2", "3.1.2"),
				 * for message_part_write() */
	gint64 size;		/* bytes after Content-Transfer-Encoding */
	char sha256[65];	/* lower-case hex of those bytes */
	int forwarded_index;	/* -1 at top level, else index into
				 * msg_submission.forwarded */
	gboolean has_gps;	/* EXIF GPS (JPEG) or MP4/QuickTime location */
	double gps_lat, gps_lon;	/* decimal degrees, when has_gps */
	char *danger;		/* why the type is dangerous, or NULL */
	media_facts media;	/* photo/video facts; media.format NULL for
				 * other files */
} msg_attachment;

/* A message/rfc822 part: for a tip, the forward is the evidence. */
typedef struct {
	char *from_name, *from_addr, *subject, *message_id;
	char *date_utc;		/* ISO 8601 "YYYY-MM-DDTHH:MM:SSZ" or NULL */
	char *text;		/* its body text, same rule as the top level */
	int depth;		/* 1 for a forward, 2 for a forward inside it */
} msg_forwarded;

typedef struct {
	char *message_id;	/* without angle brackets */
	char *from_name;	/* display name of the first From mailbox */
	char *from_addr;	/* its address, as written */
	char *subject;		/* decoded, unfolded */
	char *date_utc;		/* ISO 8601 with Z, or NULL (no/bad Date) */
	int date_offset_min;	/* the sender's zone, minutes east of UTC */
	char *in_reply_to;	/* first id of In-Reply-To, no brackets */
	char *references;	/* ids of References, space separated */
	char *text;		/* body text (never NULL; "" when none) */
	char *text_source;	/* "text/plain", "text/html" or NULL */
	gint64 quote_offset;	/* byte offset in text where a reply's quoted
				 * part starts, -1 when none (display only) */
	char *html;		/* the first text/html body part, UTF-8, or
				 * NULL */
	GPtrArray *attachments;	/* of msg_attachment *, document order */
	GPtrArray *forwarded;	/* of msg_forwarded *, document order */
	gboolean is_auto_reply;	/* RFC 3834 and vendor headers */
	gboolean is_bounce;	/* RFC 3464 delivery status notification */
	gboolean is_spam;	/* X-Spam-Flag: YES / X-Spam-Status: Yes */
	gboolean is_signed;	/* multipart/signed, PGP or S/MIME */
	gboolean is_encrypted;	/* multipart/encrypted,
				 * application/pkcs7-mime */
	gboolean has_gps;	/* any attachment has_gps */
	gboolean charset_repaired;	/* a charset label was corrected */
	char *legacy_font_hint;	/* "VNI" / "TCVN3" when the text looks like a
				 * font hack, else NULL (text kept as sent) */
	char *legacy_text;	/* with legacy_font_hint: the text converted
				 * to Unicode NFC (vnfont-priv.h), else NULL */
	char *legacy_subject;	/* the subject converted, when it is in the
				 * font hack too, else NULL */
	char *dsn_summary;	/* bounces: "5.1.1 failed <rcpt>", or NULL */
	GPtrArray *warnings;	/* of char *: GMime parser warnings and every
				 * repair made, human readable */
	char *quarantine_reason;	/* non-NULL: the message could not be
					 * parsed or broke a limit; the other
					 * fields may be partial */
} msg_submission;

/* Parse the message in the file PATH within LIMITS (NULL: defaults).
 * Returns TL_OK and a new *out (message_free) whenever the file could be
 * read, including when the message is malformed: a message GMime cannot
 * parse, or one beyond a limit, comes back with quarantine_reason set.
 * Returns TL_NOINPUT when PATH cannot be opened (*errmsg, g_free). */
tl_status message_parse_file(const char *path, const tl_parse_limits *limits,
			     msg_submission **out, char **errmsg);

/* The same for the message in FD, read from its start whatever its
 * offset (a regular file or a memfd: it is read twice when needed).  FD
 * stays the caller's; its offset is moved.  NAME is for *errmsg. */
tl_status message_parse_fd(int fd, const char *name,
			   const tl_parse_limits *limits,
			   msg_submission **out, char **errmsg);

/* What the parser makes of a message, for the queue to start it in
 * (lib/mime knows no queue: lib/app maps this to store.h's queue_status,
 * ingest_queue_status).  Names as the queue statuses of the same
 * meaning. */
typedef enum {
	MSG_CLASS_NEW = 0,	/* a reader's message */
	MSG_CLASS_QUARANTINED,	/* could not be parsed, or broke a limit */
	MSG_CLASS_BOUNCE,	/* RFC 3464 delivery status notification */
	MSG_CLASS_AUTO_REPLY,	/* RFC 3834 or vendor out-of-office */
	MSG_CLASS_SPAM,		/* flagged by the spam filter upstream */
	MSG_N_CLASSES,
	MSG_CLASS_INVALID = -1
} msg_class;

/* "new", "quarantined", "bounce", "auto_reply", "spam" (static
 * storage); NULL for an invalid value. */
const char *msg_class_name(msg_class c);

/* The class named NAME (exact, lower case), or MSG_CLASS_INVALID (also
 * for NULL). */
msg_class msg_class_parse(const char *name);

/* The class of a parsed message: quarantined, bounce, auto_reply, spam
 * or new, the first that applies. */
msg_class message_classify(const msg_submission *sub);

/* Decode the part at PART_PATH (msg_attachment.part_path) of the message
 * in RAW_PATH and write its bytes (after Content-Transfer-Encoding) to FD.
 * Returns TL_OK, TL_DATA when no such part exists, TL_NOINPUT when RAW_PATH
 * cannot be read, TL_TEMPFAIL on a write error such as ENOSPC (*errmsg,
 * g_free). Memory use does not depend on the part's size.  FD may be a
 * pipe; nothing is fsync'ed (the caller decides about durability). */
tl_status message_part_write(const char *raw_path, const char *part_path,
			     int fd, char **errmsg);

/* The same for many parts of one message (export): the raw file is
 * parsed once by message_raw_open() (TL_NOINPUT / TL_DATA as above; *out
 * freed with message_raw_close), then each part is written with
 * message_raw_part_write() (same results as message_part_write).  The
 * file must stay in place until message_raw_close(). */
typedef struct msg_raw msg_raw;
tl_status message_raw_open(const char *raw_path, msg_raw **out,
			   char **errmsg);
tl_status message_raw_part_write(msg_raw *r, const char *part_path, int fd,
				 char **errmsg);
void message_raw_close(msg_raw *r);

/* Free a msg_submission and everything it owns; NULL is allowed. */
void message_free(msg_submission *sub);

/* Test hook: read the message file at most N bytes per read (0: normal
 * reads), through mime_stream_chunked (mime-stream-priv.h), so that tests can
 * feed every fixture one byte at a time.  Not for production use. */
void message_set_read_chunk(size_t n);

/* Test hook: ON (non-zero) parses every message with the limit scan as a
 * read of its own before GMime's, as before the two were one read, so
 * that tests can check both give the same result.  Not for production
 * use. */
void message_set_two_pass(int on);

/* Call once before any other function here (g_mime_init and the parser
 * options tipline relies on); message_shutdown() at exit. */
void message_init(void);
void message_shutdown(void);

/* RAW, the value of an unstructured header field (Subject, a display
 * name) as the sender wrote it, decoded as the parser reads it:
 * encoded-words (RFC 2047) with their repairs, raw 8-bit bytes through
 * the same fallback charsets, unfolded, NFC.  For a face that shows the
 * original header block beside its decoded text.  Newly allocated
 * (g_free), never NULL.  Needs message_init(). */
char *message_header_decode(const char *raw);

/* ==== mbox ==== */

/* mbox.c - split an mbox file into its messages.
 *
 * Each message is copied into a spool file, so the rest of tipline sees
 * one file per message as with IMAP or Maildir; the files come from a
 * spool_pool (util.h), so an mbox of 100,000 messages is written through
 * one or two files, not 100,000 new ones. The "From " separator
 * line and the blank line mbox writers put before the next separator are
 * not part of the message; mboxrd ">From " escapes are undone (one '>'
 * removed), so the stored original is what the reader sent. A separator is
 * a "From " line after a blank line, with an envelope date unless the
 * file's first line has none, and never inside a multipart whose boundary
 * is still open (see mbox.c for why not GMime's mbox parser).
 */

/* Called once per message with its spool file, holding exactly that
 * message, and the 1-based position of the message in the mbox. The file
 * stays the splitter's: read it during the call, neither keep its name
 * nor remove it; after the call it goes back to the pool and a later
 * message is written into it. NOTE is NULL, or
 * says what the splitter was unsure of (a "From " line kept inside an
 * unclosed MIME part): a warning for the submission. A non-OK return
 * stops the split and is returned by mbox_split. */
typedef tl_status (*mbox_message_cb)(const char *spool_path, int index,
				     const char *note, void *user);

/* Does HEAD (N bytes, not NUL-terminated) start with an mbox "From "
 * envelope line?  "From :" is not one: it is a From header field with
 * white space before its colon (RFC 5322 4.5.1, obs-optional), and the
 * envelope's second word is an address, never a colon. */
gboolean mbox_is_from_line(const char *head, size_t n);

/* Does PATH start with "From " (an mbox rather than one message)?
 * FALSE when it cannot be read. */
gboolean mbox_is_mbox(const char *path);

/* Does PATH look like mail: an mbox (see mbox_is_mbox), or one RFC 5322
 * message whose first line is a header field, a name of printable ASCII
 * other than ':' followed by optional white space and ':' (RFC 5322
 * section 2.2, "Received:", "From:")?  Used
 * to tell messages from other files in a plain folder.  FALSE when PATH
 * cannot be read. */
gboolean mbox_is_mail(const char *path);

/* Split PATH, writing each message into a file taken from POOL (the
 * caller's; mode 0600) and giving it back after the callback, also when
 * the split stops: every file is POOL's again when this returns, removed
 * by spool_pool_free. TL_NOINPUT when PATH cannot be read, TL_TEMPFAIL
 * when a spool file cannot be made or written (disk full), or the
 * callback's status; *errmsg (g_free) names the file. Memory does not
 * grow with message size. */
tl_status mbox_split(const char *path, spool_pool *pool,
		     mbox_message_cb cb, void *user, char **errmsg);

/* ==== redact ==== */

/* redact.c - removing a purged submission's text where another submission
 * quotes it (QA F41).
 *
 * A reader's follow-up usually quotes the tip it answers (quote-priv.h finds
 * where that quote starts: quote_offset).  When the tip is purged (at
 * the source's request, or by retention), the quote must go too, while
 * the follow-up's own words stay.  Which earlier message a quote holds
 * cannot be told for sure (a quote may nest the whole thread), so purge
 * removes the whole quoted part of every follow-up that answers a purged
 * submission: from its stored text, its HTML, its search entries and its
 * original message, which is rewritten with its body text replaced (the
 * header block, the MIME structure and every attachment stay as they
 * were, so part paths still find them).
 */

/* What replaces the quoted part, and a subject that repeats a purged
 * submission's subject ("Re: <its subject>"). */
#define REDACT_NOTE "[quoted text of a purged submission removed]"
#define REDACT_SUBJECT "Re: [subject of a purged submission removed]"

/* TEXT (a submission's stored text, UTF-8) cut at QUOTE_OFFSET (bytes;
 * clamped to TEXT, and to a character boundary), trailing white space
 * dropped, followed by a blank line and REDACT_NOTE.  Newly allocated. */
char *redact_text(const char *text, gint64 quote_offset);

/* RAW (LEN bytes, a stored original message) with the content of its body
 * text parts (text parts that are not attachments, outside forwarded
 * messages) replaced: the first by TEXT (as UTF-8), the others emptied
 * (all kept when TEXT is NULL); and its Subject replaced by SUBJECT
 * unless that is NULL.  Returns a new
 * array (g_byte_array_unref), or NULL when GMime cannot parse RAW or it
 * has no body text part.  Never prints. */
GByteArray *redact_raw(const guint8 *raw, gsize len, const char *text,
		       const char *subject);

#endif
