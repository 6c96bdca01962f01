/* Origin allow-list, subprotocol negotiation and Cookie header parsing for
 * the upgrade request; see ws_upgrade.h. */
#include <string.h>
#include "ws.h"
#include "ws_upgrade.h"

static int is_tchar(unsigned char c)
{
	/* RFC 9110 §5.6.2. */
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static int is_ows(char c) { return c == ' ' || c == '\t'; }

static unsigned char lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c; }

static int name_is(const ws_header_t *h, const char *name)
{
	size_t n = strlen(name);
	if (h->name_len != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)h->name[i]) != lower((unsigned char)name[i]))
			return 0;
	return 1;
}

int ws_subprotocol_valid(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!is_tchar((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Fields the handshake's answers write themselves (RFC 6455 §4.2.2, RFC
 * 9112 §6, §9.6): an application must not repeat or contradict them. */
static const char *const reserved_fields[] = {
	"Connection", "Upgrade", "Content-Length", "Transfer-Encoding", "Sec-WebSocket-Accept",
	"Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions", "Sec-WebSocket-Version", "Sec-WebSocket-Key",
};

int ws_response_header_check(const char *name, size_t name_len, const char *value, size_t value_len)
{
	if (!ws_subprotocol_valid(name, name_len))
		return WS_HEADER_BAD_NAME;
	for (size_t i = 0; i < sizeof(reserved_fields) / sizeof(reserved_fields[0]); i++) {
		ws_header_t h = {name, name_len, NULL, 0};
		if (name_is(&h, reserved_fields[i]))
			return WS_HEADER_RESERVED;
	}
	/* RFC 9110 §5.5: field-value is VCHAR, obs-text, SP and HTAB, without
	 * leading or trailing whitespace. CR and LF would end the line and let
	 * the value write headers (or a body) of its own. */
	for (size_t i = 0; i < value_len; i++) {
		unsigned char ch = (unsigned char)value[i];
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return WS_HEADER_BAD_VALUE;
	}
	if (value_len && (is_ows(value[0]) || is_ows(value[value_len - 1])))
		return WS_HEADER_BAD_VALUE;
	return WS_HEADER_OK;
}

int ws_upgrade_origin_allowed(const ws_request_t *req, const char *const *list, size_t n)
{
	const ws_header_t *origin = NULL;
	for (size_t i = 0; i < req->num_headers; i++) {
		if (!name_is(&req->headers[i], "Origin"))
			continue;
		/* Two Origin headers: not something a browser sends; refuse
		 * rather than guess which one counts. */
		if (origin)
			return 0;
		origin = &req->headers[i];
	}
	if (!origin)
		return 0;
	for (size_t k = 0; k < n; k++) {
		size_t l = strlen(list[k]);
		if (l != origin->value_len)
			continue;
		size_t i = 0;
		while (i < l && lower((unsigned char)list[k][i]) == lower((unsigned char)origin->value[i]))
			i++;
		if (i == l)
			return 1;
	}
	return 0;
}

int ws_upgrade_select_protocol(const ws_request_t *req, const char *const *prefs, size_t n)
{
	/* RFC 6455 §4.2.2 item 5.4: the server picks one of the client's
	 * values, or none; here the first of its own list that was offered,
	 * so the server's order decides, not the client's. */
	for (size_t k = 0; k < n; k++) {
		size_t pl = strlen(prefs[k]);
		for (size_t i = 0; i < req->num_headers; i++) {
			const ws_header_t *h = &req->headers[i];
			if (!name_is(h, "Sec-WebSocket-Protocol"))
				continue;
			size_t p = 0;
			while (p < h->value_len) {
				while (p < h->value_len && (is_ows(h->value[p]) || h->value[p] == ','))
					p++;
				size_t s = p;
				while (p < h->value_len && h->value[p] != ',')
					p++;
				size_t e = p;
				while (e > s && is_ows(h->value[e - 1]))
					e--;
				if (e - s == pl && memcmp(h->value + s, prefs[k], pl) == 0)
					return (int)k;
			}
		}
	}
	return -1;
}

int ws_cookie_next(const char *s, size_t len, size_t *pos, const char **name, size_t *name_len, const char **value,
		   size_t *value_len)
{
	size_t p = *pos;
	while (p < len) {
		while (p < len && (is_ows(s[p]) || s[p] == ';'))
			p++;
		size_t start = p;
		while (p < len && s[p] != ';')
			p++;
		size_t end = p;
		while (end > start && is_ows(s[end - 1]))
			end--;
		if (end == start)
			continue;
		const char *eq = memchr(s + start, '=', end - start);
		size_t ns = start, ne = eq ? (size_t)(eq - s) : end;
		size_t vs = eq ? ne + 1 : end, ve = end;
		while (ne > ns && is_ows(s[ne - 1]))
			ne--;
		while (vs < ve && is_ows(s[vs]))
			vs++;
		/* RFC 6265 §4.1.1: cookie-value may be wrapped in DQUOTEs. */
		if (ve - vs >= 2 && s[vs] == '"' && s[ve - 1] == '"')
			vs++, ve--;
		if (ne == ns)
			continue;
		*pos = p;
		*name = s + ns;
		*name_len = ne - ns;
		*value = s + vs;
		*value_len = ve - vs;
		return 1;
	}
	*pos = p;
	return 0;
}
