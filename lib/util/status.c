/* status.c - mapping of tl_status to sysexits(3) codes and names. */
#include <sysexits.h>

#include "util.h"

int
tl_status_exit_code(tl_status st)
{
	switch (st) {
	case TL_OK:		return EX_OK;
	case TL_TEMPFAIL:	return EX_TEMPFAIL;
	case TL_DATA:		return EX_DATAERR;
	case TL_NOINPUT:	return EX_NOINPUT;
	case TL_USAGE:		return EX_USAGE;
	case TL_SOFTWARE:	return EX_SOFTWARE;
	case TL_NOPERM:		return EX_NOPERM;
	case TL_CONFIG:		return EX_CONFIG;
	}
	return EX_SOFTWARE;
}

const char *
tl_status_name(tl_status st)
{
	switch (st) {
	case TL_OK:		return "success";
	case TL_TEMPFAIL:	return "temporary failure";
	case TL_DATA:		return "data error";
	case TL_NOINPUT:	return "no input";
	case TL_USAGE:		return "usage error";
	case TL_SOFTWARE:	return "internal error";
	case TL_NOPERM:		return "permission denied";
	case TL_CONFIG:		return "configuration error";
	}
	return "unknown status";
}

tl_status
tl_status_worst(tl_status a, tl_status b)
{
	/* The enum is declared in increasing order of seriousness. */
	return a > b ? a : b;
}
