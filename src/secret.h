/* secret.h - the credential of a [mailbox NAME]: a password read from
 * password_file or printed by password_command, or an OAuth 2.0 bearer
 * token printed by token_command (Gmail, Microsoft 365).
 *
 * Secrets never appear on a command line, in an error message or in a log
 * line: messages name the file or the key ("token_command"), never the
 * command's output.
 */
#ifndef TIPLINE_SECRET_H
#define TIPLINE_SECRET_H

#include "config.h"
#include "status.h"

/* How long a password_command or token_command may run, in seconds. */
#define SECRET_COMMAND_TIMEOUT 60

/* Get the credential of MB, trying token_command, password_command and
 * password_file in that order (the first one set is used).
 *
 * password_file: refused (TL_CONFIG) when it is readable by its group or by
 * others, when it cannot be read, or when it is empty; one final newline
 * ("\n" or "\r\n") is dropped.
 * password_command / token_command: run with /bin/sh -c exactly as the
 * administrator wrote it (no word of tipline's is added), stdin from
 * /dev/null, stderr inherited; its stdout, minus one final newline, is the
 * secret. A command that fails, is killed, times out (SECRET_COMMAND_TIMEOUT)
 * or prints nothing gives TL_NOPERM and a message saying which key failed
 * and its exit status. Nothing set gives TL_CONFIG.
 *
 * On success *secret_out is newly allocated (free it with secret_free(),
 * which wipes it) and *is_token is 1 for token_command, else 0. On failure
 * *errmsg (g_free) names the mailbox and the file or key.
 *
 * From the call until secret_free() the process is non-dumpable
 * (nodump_hold): no core file can hold the secret.  Every intermediate
 * buffer (the 64 KiB read buffer, a refused output) is wiped before this
 * returns; the secret itself exists once, exactly its length. */
tl_status secret_get(const tl_mailbox_conf *mb, char **secret_out,
		     int *is_token, char **errmsg);

/* Overwrite (explicit_bzero) and free a secret from secret_get(), and end
 * its non-dumpable hold; NULL is allowed (and holds nothing). */
void secret_free(char *secret);

#endif
