/* tnef.c - winmail.dat expansion with libytnef (see tnef-priv.h). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <ytnef.h>

#include "tnef-priv.h"

/* TNEF signature 0x223E9F78, little-endian ([MS-OXTNEF] 2.1.3.1). */
static const unsigned char tnef_magic[4] = { 0x78, 0x9F, 0x3E, 0x22 };

/* A MAPI property of attachment A as bytes, or NULL. */
static variableLength *
attach_prop(Attachment *a, unsigned int type, unsigned int id)
{
	variableLength *v = MAPIFindProperty(&a->MAPI, PROP_TAG(type, id));

	if (v == MAPI_UNDEFINED || v == NULL || v->data == NULL ||
	    v->size <= 0)
		return NULL;
	return v;
}

/* TNEFFree, and what it leaves: an attachment attribute (title, data)
 * that comes before any attAttachRenddata is stored by libytnef 2.0 in
 * the list head, starting_attach, whose own fields TNEFFree does not
 * free (it frees only the attachments after it).  A sender's
 * winmail.dat made the fetch leak them (CI fuzz run, 4 Dec 2026). */
static void
tnef_free(TNEFStruct *tnef)
{
	TNEFFree(tnef);
	TNEFFreeAttachment(&tnef->starting_attach);
}

int
tnef_expand(const void *buf, size_t len, tnef_file_cb cb, void *ud)
{
	TNEFStruct tnef;
	Attachment *a;
	int rc, saved, devnull, n = 0;

	if (len < 6 || len > (size_t)G_MAXLONG ||
	    memcmp(buf, tnef_magic, sizeof tnef_magic) != 0)
		return -1;
	TNEFInitialize(&tnef);
	tnef.Debug = 0;
	/* Silence libytnef's printf() error reports (see tnef-priv.h). */
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved >= 0 && devnull >= 0)
		dup2(devnull, STDOUT_FILENO);
	rc = TNEFParseMemory((BYTE *)buf, (long)len, &tnef);
	fflush(stdout);
	if (saved >= 0 && devnull >= 0)
		dup2(saved, STDOUT_FILENO);
	if (saved >= 0)
		close(saved);
	if (devnull >= 0)
		close(devnull);
	if (rc != 0) {
		tnef_free(&tnef);
		return -1;
	}
	for (a = tnef.starting_attach.next; a != NULL; a = a->next) {
		variableLength *name, *data;
		char *fname;

		name = attach_prop(a, PT_STRING8, PR_ATTACH_LONG_FILENAME);
		if (name == NULL && a->Title.data != NULL && a->Title.size > 0)
			name = &a->Title;
		data = attach_prop(a, PT_BINARY, PR_ATTACH_DATA_OBJ);
		if (data == NULL && a->FileData.data != NULL)
			data = &a->FileData;
		if (data == NULL)
			continue;
		fname = name != NULL ?
		    g_strndup((const char *)name->data, (gsize)name->size) :
		    g_strdup("");
		cb(fname, data->data, data->size > 0 ? (size_t)data->size : 0,
		   ud);
		g_free(fname);
		n++;
	}
	tnef_free(&tnef);
	return n;
}
