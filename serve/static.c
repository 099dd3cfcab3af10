/* static.c - the desk's only static files, embedded in the executable:
 * nothing is read from disk at request time, and the CSP's 'self' covers
 * exactly these. */
#include <string.h>

#include "serve.h"

static const char css[] =
	"body{font:15px/1.4 sans-serif;margin:0;color:#222}\n"
	"header{background:#234;color:#fff;padding:.4em 1em;display:flex;"
	"gap:1em;align-items:center}\n"
	"header a{color:#fff;font-weight:bold;text-decoration:none}\n"
	"header form{margin-left:auto}\n"
	"main{padding:1em}\n"
	"table{border-collapse:collapse;width:100%}\n"
	"td,th{text-align:left;padding:.2em .5em;border-bottom:1px solid "
	"#ddd}\n"
	"tr.cur{background:#ffd}\n"
	".badge{font-size:80%;padding:0 .3em;border-radius:.3em;"
	"background:#eee;margin-right:.2em}\n"
	".danger{background:#fbb}\n"
	"pre.text{white-space:pre-wrap;background:#f8f8f8;padding:.5em}\n"
	".decide button{margin-right:.5em}\n"
	"kbd{border:1px solid #999;border-radius:.2em;padding:0 .2em}\n";

/* j/k move the current row of the queue, Enter opens it; a and r press
 * the Approve and Reject buttons of a submission page; ? shows the keys.
 * Only buttons already on the page are pressed: the script adds no way
 * to decide that the page without it lacks.  On a submission's page it
 * submits the "mark seen" form once (page_seen in serve.h). */
static const char js[] =
	"'use strict';\n"
	"document.addEventListener('keydown', function (e) {\n"
	"  var t = e.target;\n"
	"  if (e.ctrlKey || e.metaKey || e.altKey ||\n"
	"      (t && t.closest && t.closest('input,textarea,select')))\n"
	"    return;\n"
	"  var rows = document.querySelectorAll('tr.row');\n"
	"  var cur = document.querySelector('tr.cur');\n"
	"  var i = Array.prototype.indexOf.call(rows, cur);\n"
	"  function go(n) {\n"
	"    if (n < 0 || n >= rows.length) return;\n"
	"    if (cur) cur.classList.remove('cur');\n"
	"    cur = rows[n]; cur.classList.add('cur');\n"
	"    var a = cur.querySelector('a'); if (a) a.focus();\n"
	"  }\n"
	"  var k = e.key, b;\n"
	"  if (k === 'j') go(i + 1);\n"
	"  else if (k === 'k') go(i < 0 ? 0 : i - 1);\n"
	"  else if ((k === 'a' || k === 'r') &&\n"
	"           (b = document.querySelector('button[data-key=\"' + k +\n"
	"                                       '\"]'))) b.click();\n"
	"  else if (k === '?') {\n"
	"    var h = document.getElementById('keys');\n"
	"    if (h) h.hidden = !h.hidden;\n"
	"  } else return;\n"
	"  e.preventDefault();\n"
	"});\n"
	"(function () {\n"
	"  var f = document.getElementById('mark-seen');\n"
	"  if (f && !/[?&]seen=1(&|$)/.test(location.search)) f.submit();\n"
	"})();\n";

gboolean
static_find(const char *path, const char **body, gsize *len,
	    const char **ctype)
{
	if (strcmp(path, "/static/tipline.css") == 0) {
		*body = css;
		*len = sizeof css - 1;
		*ctype = "text/css; charset=utf-8";
		return TRUE;
	}
	if (strcmp(path, "/static/keys.js") == 0) {
		*body = js;
		*len = sizeof js - 1;
		*ctype = "text/javascript; charset=utf-8";
		return TRUE;
	}
	return FALSE;
}
