/* permessage-deflate (RFC 7692) with zlib: negotiation, and compression
 * and decompression of whole messages. See ws_deflate.h for the contract
 * and for what memory is held when.
 *
 * Two zlib facts shape this file:
 *   - zlib's deflate cannot use a 256-byte window: raw deflate refuses
 *     windowBits 8, and asking for 8 elsewhere silently gives 9. A peer that
 *     asked for server_max_window_bits=8 may inflate with a 256-byte window
 *     and fail on a match farther back. We still accept the offer and answer
 *     8 truthfully: such connections are compressed with the Z_RLE strategy,
 *     whose matches all have distance 1 (zlib documents it), so every match
 *     lies inside any window. Node's ws answers 8 and deflates with 9, which
 *     works because zlib keeps matches within w_size - 262 bytes (250 for a
 *     9-bit window), but that is an internal of zlib, not its API; Python's
 *     websockets fails to create the compressor.
 *   - zlib's inflate can use any window from 8 bits, but a peer deflating
 *     with zlib that promised 8 bits really uses 9. We inflate with at least
 *     9 bits: a larger window than the peer's is always safe.
 */
#define ZLIB_CONST
#include <limits.h>
#include <string.h>
#include <zlib.h>

#include "ws.h"
#include "ws_deflate.h"
#include "ws_frame.h"
#include "ws_utf8.h"

/* ------------------------------------------------------------------ */
/* Configuration */

int ws_deflate_check_config(const ws_compression_t *cfg, char *errbuf, size_t errlen)
{
	const char *what = NULL;

	if (cfg->server_max_window_bits < 8 || cfg->server_max_window_bits > 15)
		what = "server_max_window_bits must be between 8 and 15";
	else if (cfg->client_max_window_bits < 8 || cfg->client_max_window_bits > 15)
		what = "client_max_window_bits must be between 8 and 15";
	else if (cfg->level < 0 || cfg->level > 9)
		what = "level must be between 0 and 9";
	else if (cfg->memory_level < 1 || cfg->memory_level > 9)
		what = "memory_level must be between 1 and 9";
	if (!what)
		return 0;
	if (errbuf && errlen) {
		size_t n = strlen("compression: "), m = strlen(what);

		if (n + m + 1 > errlen) {
			n = 0;
			m = m < errlen - 1 ? m : errlen - 1;
		} else {
			memcpy(errbuf, "compression: ", n);
		}
		memcpy(errbuf + n, what, m);
		errbuf[n + m] = 0;
	}
	return WS_ERR_INVAL;
}

/* ------------------------------------------------------------------ */
/* Negotiation: RFC 6455 §9.1 grammar, RFC 7692 §7.1 semantics
 *
 *   extension-list = 1#extension
 *   extension      = extension-token *( ";" extension-param )
 *   extension-param = token [ "=" (token | quoted-string) ]
 *
 * with optional whitespace around the separators. */

#define WS_PMD_MAX_PARAMS 8
#define WS_PMD_MAX_VALUE 15

typedef struct pmd_param {
	const char *name;
	size_t name_len;
	char value[WS_PMD_MAX_VALUE + 1];
	size_t value_len;
	uint8_t has_value;
	uint8_t value_too_long;
} pmd_param_t;

typedef struct pmd_elem {
	const char *name;
	size_t name_len;
	pmd_param_t params[WS_PMD_MAX_PARAMS];
	size_t nparams;
	uint8_t too_many; /* more parameters than any valid offer has */
} pmd_elem_t;

static int pmd_is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int pmd_ieq(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);

	if (alen != blen)
		return 0;
	for (size_t i = 0; i < alen; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x + ('a' - 'A'));
		if (x != y)
			return 0;
	}
	return 1;
}

static void pmd_skip_ows(const char *s, size_t len, size_t *i)
{
	while (*i < len && (s[*i] == ' ' || s[*i] == '\t'))
		(*i)++;
}

static size_t pmd_token(const char *s, size_t len, size_t *i)
{
	size_t start = *i;

	while (*i < len && pmd_is_tchar((unsigned char)s[*i]))
		(*i)++;
	return *i - start;
}

/* quoted-string (RFC 9110 §5.6.4), unescaped into p->value. Returns 0, or
 * -1 when it is not terminated or holds a character it may not. */
static int pmd_quoted(const char *s, size_t len, size_t *i, pmd_param_t *p)
{
	(*i)++; /* the opening DQUOTE */
	while (*i < len) {
		unsigned char c = (unsigned char)s[*i];

		if (c == '"') {
			(*i)++;
			return 0;
		}
		if (c == '\\') {
			if (++*i >= len)
				return -1;
			c = (unsigned char)s[*i];
			if (c != '\t' && (c < 0x20 || c == 0x7f))
				return -1;
		} else if (c != '\t' && (c < 0x20 || c == 0x7f)) {
			return -1;
		}
		if (p->value_len < WS_PMD_MAX_VALUE)
			p->value[p->value_len++] = (char)c;
		else
			p->value_too_long = 1;
		(*i)++;
	}
	return -1;
}

/* Skips to just after the next comma outside a quoted string. */
static void pmd_resync(const char *s, size_t len, size_t *i)
{
	int quoted = 0;

	while (*i < len) {
		char c = s[(*i)++];

		if (quoted && c == '\\' && *i < len)
			(*i)++;
		else if (c == '"')
			quoted = !quoted;
		else if (c == ',' && !quoted)
			return;
	}
}

/* Parses the list element at s[*i..len) into e and moves *i past it and
 * its comma. Returns 1 for a well-formed extension, 0 for an empty element
 * (allowed in a list: RFC 9110 §5.6.1), -1 for a malformed one. */
static int pmd_element(const char *s, size_t len, size_t *i, pmd_elem_t *e)
{
	memset(e, 0, sizeof(*e));
	pmd_skip_ows(s, len, i);
	if (*i >= len)
		return 0;
	if (s[*i] == ',') {
		(*i)++;
		return 0;
	}
	e->name = s + *i;
	if ((e->name_len = pmd_token(s, len, i)) == 0)
		goto bad;
	for (;;) {
		pmd_param_t scratch, *p;

		pmd_skip_ows(s, len, i);
		if (*i >= len)
			return 1;
		if (s[*i] == ',') {
			(*i)++;
			return 1;
		}
		if (s[*i] != ';')
			goto bad;
		(*i)++;
		pmd_skip_ows(s, len, i);
		if (e->nparams < WS_PMD_MAX_PARAMS) {
			p = &e->params[e->nparams++];
		} else {
			e->too_many = 1;
			p = &scratch;
		}
		memset(p, 0, sizeof(*p));
		p->name = s + *i;
		if ((p->name_len = pmd_token(s, len, i)) == 0)
			goto bad;
		pmd_skip_ows(s, len, i);
		if (*i < len && s[*i] == '=') {
			(*i)++;
			pmd_skip_ows(s, len, i);
			p->has_value = 1;
			if (*i < len && s[*i] == '"') {
				if (pmd_quoted(s, len, i, p) != 0)
					goto bad;
			} else {
				const char *v = s + *i;
				size_t vl = pmd_token(s, len, i);

				if (vl == 0)
					goto bad;
				if (vl > WS_PMD_MAX_VALUE) {
					p->value_too_long = 1;
					vl = WS_PMD_MAX_VALUE;
				}
				memcpy(p->value, v, vl);
				p->value_len = vl;
			}
		}
	}
bad:
	pmd_resync(s, len, i);
	return -1;
}

/* RFC 7692 §7.1.2: "a decimal integer value without leading zeroes between
 * 8 to 15, inclusive". Returns the value, or 0 when it is not one. */
static int pmd_window_bits(const pmd_param_t *p)
{
	if (p->value_too_long)
		return 0;
	if (p->value_len == 1 && (p->value[0] == '8' || p->value[0] == '9'))
		return p->value[0] - '0';
	if (p->value_len == 2 && p->value[0] == '1' && p->value[1] >= '0' && p->value[1] <= '5')
		return 10 + (p->value[1] - '0');
	return 0;
}

enum { PMD_SNCT, PMD_CNCT, PMD_SMWB, PMD_CMWB, PMD_NPARAMS };
static const char *const pmd_param_names[PMD_NPARAMS] = {
	"server_no_context_takeover",
	"client_no_context_takeover",
	"server_max_window_bits",
	"client_max_window_bits",
};

/* RFC 7692 §7.1: decides one permessage-deflate offer. Returns 1 and fills
 * *out when it is accepted, 0 when it is declined (§7: "a server MUST
 * decline an offer" with an unknown or invalid parameter, or a parameter
 * named twice; and it may decline what it does not support). */
static int pmd_accept(const ws_compression_t *cfg, const pmd_elem_t *e, ws_deflate_params_t *out)
{
	const pmd_param_t *seen[PMD_NPARAMS] = {NULL, NULL, NULL, NULL};
	int sbits = 0, cbits = 0;

	if (e->too_many)
		return 0;
	for (size_t k = 0; k < e->nparams; k++) {
		const pmd_param_t *p = &e->params[k];
		int which = -1;

		for (int n = 0; n < PMD_NPARAMS; n++)
			if (pmd_ieq(p->name, p->name_len, pmd_param_names[n]))
				which = n;
		if (which < 0 || seen[which])
			return 0;
		seen[which] = p;
		switch (which) {
		case PMD_SNCT:
		case PMD_CNCT:
			/* §7.1.1: "This extension parameter has no value." */
			if (p->has_value)
				return 0;
			break;
		case PMD_SMWB:
			/* §7.1.2.1: a value is required in an offer. */
			if (!p->has_value || (sbits = pmd_window_bits(p)) == 0)
				return 0;
			break;
		case PMD_CMWB:
			/* §7.1.2.2: with or without a value. */
			if (p->has_value && (cbits = pmd_window_bits(p)) == 0)
				return 0;
			break;
		}
	}

	memset(out, 0, sizeof(*out));
	/* §7.1.1.1: a server may use no context takeover even when the
	 * client did not ask, and must say so; it must honour the request. */
	out->server_no_context_takeover = seen[PMD_SNCT] || cfg->server_no_context_takeover;
	/* §7.1.1.2: a client's client_no_context_takeover is only a hint; we
	 * echo it so that it binds the client and we can keep no
	 * decompressor for it, and we may ask for it ourselves. */
	out->client_no_context_takeover = seen[PMD_CNCT] || cfg->client_no_context_takeover;
	/* §7.1.2.1: we may answer a smaller window than asked, never a
	 * larger one; when not asked, naming our smaller window is optional
	 * but tells the client what it may allocate. */
	out->server_max_window_bits = (uint8_t)cfg->server_max_window_bits;
	if (sbits && sbits < out->server_max_window_bits)
		out->server_max_window_bits = (uint8_t)sbits;
	out->answer_server_bits = sbits != 0 || out->server_max_window_bits < 15;
	/* §7.1.2.2: we may limit the client's window only if its offer
	 * contains client_max_window_bits, and to no more than its value. */
	out->client_max_window_bits = (uint8_t)(cbits ? cbits : 15);
	if (cfg->client_max_window_bits < 15) {
		if (!seen[PMD_CMWB])
			return 0;
		if (cfg->client_max_window_bits < out->client_max_window_bits)
			out->client_max_window_bits = (uint8_t)cfg->client_max_window_bits;
	}
	out->answer_client_bits = seen[PMD_CMWB] && (cbits || out->client_max_window_bits < 15);
	return 1;
}

int ws_deflate_negotiate_value(const ws_compression_t *cfg, const char *value, size_t len, ws_deflate_params_t *out)
{
	size_t i = 0;
	pmd_elem_t e;

	while (i < len) {
		if (pmd_element(value, len, &i, &e) != 1)
			continue;
		if (!pmd_ieq(e.name, e.name_len, "permessage-deflate"))
			continue;
		if (pmd_accept(cfg, &e, out))
			return 1;
	}
	return 0;
}

int ws_deflate_negotiate(const ws_compression_t *cfg, const ws_request_t *req, ws_deflate_params_t *out)
{
	if (!cfg->enabled)
		return 0;
	/* RFC 6455 §9.1: the header may be split into several lines; they
	 * form one list, in order. */
	for (size_t k = 0; k < req->num_headers; k++) {
		const ws_header_t *h = &req->headers[k];

		if (!pmd_ieq(h->name, h->name_len, "sec-websocket-extensions"))
			continue;
		if (ws_deflate_negotiate_value(cfg, h->value, h->value_len, out))
			return 1;
	}
	return 0;
}

size_t ws_deflate_response(const ws_deflate_params_t *p, char *out, size_t cap)
{
	char line[WS_DEFLATE_MAX_RESPONSE];
	size_t n = 0;

#define PMD_PUT(s)                                                                                                     \
	do {                                                                                                           \
		size_t l_ = strlen(s);                                                                                 \
		memcpy(line + n, s, l_);                                                                               \
		n += l_;                                                                                               \
	} while (0)
	PMD_PUT("Sec-WebSocket-Extensions: permessage-deflate");
	if (p->server_no_context_takeover)
		PMD_PUT("; server_no_context_takeover");
	if (p->client_no_context_takeover)
		PMD_PUT("; client_no_context_takeover");
	if (p->answer_server_bits) {
		PMD_PUT("; server_max_window_bits=");
		if (p->server_max_window_bits >= 10)
			line[n++] = '1';
		line[n++] = (char)('0' + p->server_max_window_bits % 10);
	}
	if (p->answer_client_bits) {
		PMD_PUT("; client_max_window_bits=");
		if (p->client_max_window_bits >= 10)
			line[n++] = '1';
		line[n++] = (char)('0' + p->client_max_window_bits % 10);
	}
	PMD_PUT("\r\n");
#undef PMD_PUT
	if (n + 1 > cap)
		return 0;
	memcpy(out, line, n);
	out[n] = 0;
	return n;
}

/* ------------------------------------------------------------------ */
/* Streams */

typedef struct pmd_buf {
	uint8_t *p;
	size_t cap;
} pmd_buf_t;

/* Broadcast frames, one per window size (index bits - 8). */
typedef struct pmd_slot {
	pmd_buf_t buf;
	uint64_t gen;     /* the broadcast it was made for */
	uint8_t state;    /* SLOT_* */
	const uint8_t *frame;
	size_t frame_len;
} pmd_slot_t;

enum { SLOT_EMPTY, SLOT_FRAME, SLOT_PLAIN };

struct ws_deflate {
	ws_compression_t cfg;
	z_stream *shared_def[8]; /* by window bits - 8; every use starts empty */
	z_stream *shared_inf;    /* 15-bit window; reset before every message */
	pmd_buf_t fbuf;          /* ws_deflate_frame()'s frame */
	pmd_slot_t slot[8];
	uint64_t gen;
};

/* Frame buffers larger than this are freed once a frame has been copied. */
#define WS_PMD_KEEP (64u * 1024)

static voidpf pmd_zalloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	if (size && items > SIZE_MAX / size)
		return Z_NULL;
	return ws_malloc((size_t)items * size);
}

static void pmd_zfree(voidpf opaque, voidpf p)
{
	(void)opaque;
	ws_free(p);
}

static z_stream *pmd_stream(void)
{
	z_stream *zs = ws_malloc(sizeof(*zs));

	if (zs) {
		memset(zs, 0, sizeof(*zs));
		zs->zalloc = pmd_zalloc;
		zs->zfree = pmd_zfree;
	}
	return zs;
}

/* A raw deflate stream (RFC 7692 §7.2.1: no zlib header) for a window of
 * `bits`; 8 is made of distance-1 matches only (see the top of the file). */
static z_stream *pmd_def_new(const ws_compression_t *cfg, int bits)
{
	z_stream *zs = pmd_stream();

	if (!zs)
		return NULL;
	if (deflateInit2(zs, cfg->level, Z_DEFLATED, -(bits < 9 ? 9 : bits), cfg->memory_level,
			 bits < 9 ? Z_RLE : Z_DEFAULT_STRATEGY) != Z_OK) {
		ws_free(zs);
		return NULL;
	}
	return zs;
}

static z_stream *pmd_inf_new(int bits)
{
	z_stream *zs = pmd_stream();

	if (!zs)
		return NULL;
	if (inflateInit2(zs, -(bits < 9 ? 9 : bits)) != Z_OK) {
		ws_free(zs);
		return NULL;
	}
	return zs;
}

static void pmd_def_free(z_stream *zs)
{
	if (zs) {
		deflateEnd(zs);
		ws_free(zs);
	}
}

static void pmd_inf_free(z_stream *zs)
{
	if (zs) {
		inflateEnd(zs);
		ws_free(zs);
	}
}

static int pmd_buf_grow(pmd_buf_t *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 1024;
	uint8_t *p;

	if (need <= b->cap)
		return 0;
	while (cap < need) {
		if (cap > SIZE_MAX / 2)
			return WS_ERR_NOMEM;
		cap *= 2;
	}
	p = ws_realloc(b->p, cap);
	if (!p)
		return WS_ERR_NOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

static void pmd_buf_trim(pmd_buf_t *b)
{
	if (b->cap > WS_PMD_KEEP) {
		ws_free(b->p);
		b->p = NULL;
		b->cap = 0;
	}
}

int ws_deflate_new(ws_deflate_t **out, const ws_compression_t *cfg)
{
	ws_deflate_t *d;

	*out = NULL;
	if (ws_deflate_check_config(cfg, NULL, 0) != 0)
		return WS_ERR_INVAL;
	d = ws_malloc(sizeof(*d));
	if (!d)
		return WS_ERR_NOMEM;
	memset(d, 0, sizeof(*d));
	d->cfg = *cfg;
	*out = d;
	return 0;
}

void ws_deflate_free(ws_deflate_t *d)
{
	if (!d)
		return;
	for (int i = 0; i < 8; i++) {
		pmd_def_free(d->shared_def[i]);
		ws_free(d->slot[i].buf.p);
	}
	pmd_inf_free(d->shared_inf);
	ws_free(d->fbuf.p);
	ws_free(d);
}

void ws_deflate_conn_init(ws_deflate_conn_t *c, const ws_deflate_params_t *p)
{
	memset(c, 0, sizeof(*c));
	if (p) {
		c->p = *p;
		c->enabled = 1;
	}
}

void ws_deflate_conn_deinit(ws_deflate_conn_t *c)
{
	pmd_def_free(c->def);
	pmd_inf_free(c->inf);
	c->def = c->inf = NULL;
	c->def_stale = 0;
}

void ws_deflate_conn_idle(ws_deflate_conn_t *c)
{
	pmd_def_free(c->def);
	c->def = NULL;
	c->def_stale = 0;
}

void ws_deflate_conn_discard(ws_deflate_conn_t *c)
{
	if (c->def)
		c->def_stale = 1;
}

/* Deflates a whole message into b after WS_FRAME_MAX_HEADER bytes of room
 * and makes the frame: RFC 7692 §7.2.1, compress with a sync flush, then
 * remove the 00 00 ff ff that ends it. Returns 0 or WS_ERR_NOMEM. */
static int pmd_compress(z_stream *zs, int opcode, const uint8_t *in, size_t len, pmd_buf_t *b, const uint8_t **frame,
			size_t *frame_len)
{
	const size_t off = WS_FRAME_MAX_HEADER;
	size_t n = 0, left = len, hl;
	uint8_t hdr[WS_FRAME_MAX_HEADER];
	int rc;

	/* A first guess that fits most text; grown as needed. */
	if ((rc = pmd_buf_grow(b, off + len / 2 + 64)) != 0)
		return rc;
	zs->next_in = in;
	do {
		uInt chunk = left > UINT_MAX ? UINT_MAX : (uInt)left;
		int flush;

		left -= chunk;
		flush = left ? Z_NO_FLUSH : Z_SYNC_FLUSH;
		zs->avail_in = chunk;
		do {
			size_t room;

			if (b->cap - off - n < 64 && (rc = pmd_buf_grow(b, b->cap + 1)) != 0)
				return rc;
			room = b->cap - off - n;
			zs->next_out = b->p + off + n;
			zs->avail_out = room > UINT_MAX ? UINT_MAX : (uInt)room;
			rc = deflate(zs, flush);
			n += (size_t)(zs->next_out - (b->p + off + n));
			/* Z_BUF_ERROR only says no progress was possible,
			 * which ends the loop below. */
			if (rc == Z_STREAM_ERROR)
				return WS_ERR_NOMEM;
		} while (zs->avail_out == 0);
	} while (left);
	if (n >= 4 && memcmp(b->p + off + n - 4, "\x00\x00\xff\xff", 4) == 0)
		n -= 4;
	/* zlib writes nothing for an empty message right after a flush; an
	 * empty payload would leave the peer's inflater inside a stored
	 * block header. §7.2.3.6: a single 0x00 is the empty message. */
	if (n == 0)
		b->p[off + n++] = 0x00;
	hl = ws_frame_header(hdr, 1, 1, opcode, n);
	memcpy(b->p + off - hl, hdr, hl);
	*frame = b->p + off - hl;
	*frame_len = hl + n;
	return 0;
}

/* The size of the same message sent uncompressed: header and payload. */
static size_t pmd_plain_len(size_t len)
{
	return len + (len < 126 ? 2 : len <= 0xFFFF ? 4 : 10);
}

static z_stream *pmd_shared_def(ws_deflate_t *d, int bits)
{
	z_stream **zs = &d->shared_def[bits - 8];

	if (!*zs)
		*zs = pmd_def_new(&d->cfg, bits);
	else if (deflateReset(*zs) != Z_OK)
		return NULL;
	return *zs;
}

int ws_deflate_frame(ws_deflate_t *d, ws_deflate_conn_t *c, int opcode, const uint8_t *data, size_t len,
		     const uint8_t **frame, size_t *frame_len)
{
	z_stream *zs;
	int rc;

	if (!d || !c->enabled || len < d->cfg.threshold)
		return 0;
	if (c->p.server_no_context_takeover) {
		/* §7.1.1.1: every message starts from an empty window, so
		 * one compressor serves every such connection. */
		zs = pmd_shared_def(d, c->p.server_max_window_bits);
	} else {
		if (!c->def) {
			c->def = pmd_def_new(&d->cfg, c->p.server_max_window_bits);
			c->def_stale = 0;
		} else if (c->def_stale) {
			if (deflateReset(c->def) != Z_OK)
				return WS_ERR_NOMEM;
			c->def_stale = 0;
		}
		zs = c->def;
	}
	if (!zs)
		return WS_ERR_NOMEM;
	if ((rc = pmd_compress(zs, opcode, data, len, &d->fbuf, frame, frame_len)) != 0) {
		ws_deflate_conn_discard(c);
		return rc;
	}
	/* Not worth it: send it as it is. The peer will not see these
	 * bytes in its window, so our compressor must forget them too. */
	if (*frame_len >= pmd_plain_len(len)) {
		if (zs == c->def)
			c->def_stale = 1;
		pmd_buf_trim(&d->fbuf);
		return 0;
	}
	return 1;
}

void ws_deflate_frame_done(ws_deflate_t *d)
{
	if (d)
		pmd_buf_trim(&d->fbuf);
}

void ws_deflate_broadcast_begin(ws_deflate_t *d)
{
	if (d)
		d->gen++;
}

int ws_deflate_broadcast_frame(ws_deflate_t *d, ws_deflate_conn_t *c, int opcode, const uint8_t *data, size_t len,
			       const uint8_t **frame, size_t *frame_len)
{
	pmd_slot_t *s;

	if (!d || !c->enabled || len < d->cfg.threshold)
		return 0;
	s = &d->slot[c->p.server_max_window_bits - 8];
	if (s->gen != d->gen) {
		z_stream *zs = pmd_shared_def(d, c->p.server_max_window_bits);
		int rc;

		if (!zs)
			return WS_ERR_NOMEM;
		if ((rc = pmd_compress(zs, opcode, data, len, &s->buf, &s->frame, &s->frame_len)) != 0)
			return rc;
		s->gen = d->gen;
		s->state = s->frame_len >= pmd_plain_len(len) ? SLOT_PLAIN : SLOT_FRAME;
	}
	if (s->state != SLOT_FRAME)
		return 0;
	/* The peer appends this message to its window; c's own compressor
	 * did not see it, so its next match could point at the wrong
	 * bytes. Restart it before its next use. */
	ws_deflate_conn_discard(c);
	*frame = s->frame;
	*frame_len = s->frame_len;
	return 1;
}

void ws_deflate_broadcast_end(ws_deflate_t *d)
{
	if (!d)
		return;
	for (int i = 0; i < 8; i++) {
		pmd_buf_trim(&d->slot[i].buf);
		d->slot[i].state = SLOT_EMPTY;
	}
	d->gen++;
}

/* After a DEFLATE block with BFINAL set (RFC 7692 §7.2.3.3), zlib's stream
 * is over. With context takeover the next message may still refer to this
 * one's bytes, so start a new stream that keeps the window. */
static int pmd_inf_restart(z_stream *zs, int keep)
{
	uInt have = 0;
	Bytef *dict = NULL;
	int rc;

	if (keep && inflateGetDictionary(zs, Z_NULL, &have) == Z_OK && have > 0) {
		dict = ws_malloc(have);
		if (!dict || inflateGetDictionary(zs, dict, &have) != Z_OK) {
			ws_free(dict);
			return WS_ERR_NOMEM;
		}
	}
	rc = inflateReset(zs) == Z_OK ? 0 : WS_ERR_NOMEM;
	if (rc == 0 && dict && inflateSetDictionary(zs, dict, have) != Z_OK)
		rc = WS_ERR_NOMEM;
	ws_free(dict);
	return rc;
}

int ws_deflate_inflate(ws_deflate_t *d, ws_deflate_conn_t *c, const uint8_t *in, size_t len, int text, size_t max,
		       uint8_t **out, size_t *out_len, const char **why)
{
	static const uint8_t trailer[4] = {0x00, 0x00, 0xff, 0xff};
	z_stream *zs;
	uint8_t *buf = NULL;
	size_t n = 0, cap, limit;
	ws_utf8_t u;
	int rc = 0, ended = 0, own = !c->p.client_no_context_takeover;

	*out = NULL;
	*out_len = 0;
	*why = NULL;
	if (own) {
		if (!c->inf)
			c->inf = pmd_inf_new(c->p.client_max_window_bits);
		zs = c->inf;
	} else {
		/* §7.1.1.2: every message of this client starts from an
		 * empty window: one decompressor serves them all. */
		if (!d->shared_inf)
			d->shared_inf = pmd_inf_new(15);
		else if (inflateReset(d->shared_inf) != Z_OK)
			return WS_ERR_NOMEM;
		zs = d->shared_inf;
	}
	if (!zs)
		return WS_ERR_NOMEM;
	if (len == 0) {
		/* An empty payload plus 00 00 ff ff is not a whole block: it
		 * would leave the decompressor inside one. The message is
		 * empty whatever the peer meant; leave the stream alone. */
		if (!(*out = ws_malloc(1)))
			return WS_ERR_NOMEM;
		(*out)[0] = 0;
		return 0;
	}

	/* One byte over max tells that the message is too big; one more
	 * holds the NUL. */
	limit = max < SIZE_MAX - 2 ? max + 1 : SIZE_MAX - 2;
	cap = len < limit / 4 ? len * 4 : limit;
	if (cap < 256)
		cap = limit < 256 ? limit : 256;
	buf = ws_malloc(cap + 1);
	if (!buf)
		return WS_ERR_NOMEM;
	ws_utf8_init(&u);

	/* §7.2.2: append 00 00 ff ff to the payload and inflate. */
	for (int phase = 0; phase < 2 && !ended && rc == 0; phase++) {
		const uint8_t *src = phase == 0 ? in : trailer;
		size_t left = phase == 0 ? len : sizeof(trailer);

		zs->next_in = src;
		zs->avail_in = 0;
		for (;;) {
			size_t room, got;
			int zr;

			if (zs->avail_in == 0) {
				uInt chunk = left > UINT_MAX ? UINT_MAX : (uInt)left;

				zs->avail_in = chunk;
				left -= chunk;
			}
			if (n == cap) {
				size_t ncap;
				uint8_t *p;

				if (cap >= limit) {
					rc = WS_CLOSE_TOO_BIG;
					*why = "message too big";
					break;
				}
				ncap = cap < limit / 2 ? cap * 2 : limit;
				p = ws_realloc(buf, ncap + 1);
				if (!p) {
					rc = WS_ERR_NOMEM;
					break;
				}
				buf = p;
				cap = ncap;
			}
			room = cap - n;
			zs->next_out = buf + n;
			zs->avail_out = room > UINT_MAX ? UINT_MAX : (uInt)room;
			zr = inflate(zs, Z_SYNC_FLUSH);
			got = (size_t)(zs->next_out - (buf + n));
			/* §8.1 / RFC 7692 §6: the inflated bytes are the text,
			 * checked as they come so a bad byte stops the rest. */
			if (text && got && ws_utf8_feed(&u, buf + n, got) != 0) {
				rc = WS_CLOSE_BAD_DATA;
				*why = "invalid UTF-8";
				break;
			}
			n += got;
			if (n > max) {
				rc = WS_CLOSE_TOO_BIG;
				*why = "message too big";
				break;
			}
			if (zr == Z_STREAM_END) {
				/* A final block: nothing of the payload may
				 * follow it; what is left of our trailer may. */
				if (phase == 0 && (zs->avail_in > 0 || left > 0)) {
					rc = WS_CLOSE_BAD_DATA;
					*why = "data after the final deflate block";
				}
				ended = 1;
				break;
			}
			if (zr == Z_MEM_ERROR) {
				rc = WS_ERR_NOMEM;
				break;
			}
			if (zr != Z_OK && zr != Z_BUF_ERROR) {
				rc = WS_CLOSE_BAD_DATA;
				*why = "invalid deflate data";
				break;
			}
			/* All input taken and room left over: inflate has given
			 * everything it can (Z_BUF_ERROR here means the same). */
			if (zs->avail_in == 0 && left == 0 && zs->avail_out > 0)
				break;
			if (zr == Z_BUF_ERROR && zs->avail_out > 0) {
				rc = WS_CLOSE_BAD_DATA;
				*why = "invalid deflate data";
				break;
			}
		}
	}
	/* §7.2.1: a sender's payload ends with an empty stored block (whose
	 * LEN and NLEN are the 00 00 ff ff it removed) or a final block.
	 * Anything else leaves the stream inside a block, and the next
	 * message would be read from there. */
	if (rc == 0 && !ended && !(zs->data_type & 128)) {
		rc = WS_CLOSE_BAD_DATA;
		*why = "incomplete deflate block";
	}
	if (rc == 0 && text && !ws_utf8_complete(&u)) {
		rc = WS_CLOSE_BAD_DATA;
		*why = "invalid UTF-8";
	}
	if (rc == 0 && ended && own)
		rc = pmd_inf_restart(zs, 1);
	if (rc != 0) {
		ws_free(buf);
		return rc;
	}
	buf[n] = 0;
	*out = buf;
	*out_len = n;
	return 0;
}
