/* Unit tests for src/ws_upgrade.c: the Origin allow-list, subprotocol
 * negotiation and the Cookie iterator. Header values are placed against a
 * PROT_NONE page so that a read past their length faults. */
#include "tap.h"
#include "ws.h"
#include "ws_upgrade.h"

static ws_request_t req;

/* Replaces the request's headers with name/value pairs (NULL-terminated);
 * each value ends at its own guard page copy (only the last one can, so
 * values are copied into separate buffers, the last at the guard). */
static char store[8][256];
static void headers(const char *const *kv)
{
	req.num_headers = 0;
	for (size_t i = 0; kv[2 * i]; i++) {
		ws_header_t *h = &req.headers[req.num_headers++];
		h->name = kv[2 * i];
		h->name_len = strlen(kv[2 * i]);
		size_t n = strlen(kv[2 * i + 1]);
		if (!kv[2 * i + 2]) {
			h->value = (const char *)tap_place(kv[2 * i + 1], n);
		} else {
			memcpy(store[i], kv[2 * i + 1], n);
			h->value = store[i];
		}
		h->value_len = n;
	}
}

static void test_origins(void)
{
	static const char *const list[] = {"https://chat.example.com", "http://localhost:8080"};
	headers((const char *const[]){"Host", "x", "Origin", "https://chat.example.com", NULL});
	ok(ws_upgrade_origin_allowed(&req, list, 2), "a listed origin");
	headers((const char *const[]){"origin", "HTTP://LOCALHOST:8080", NULL});
	ok(ws_upgrade_origin_allowed(&req, list, 2), "case-insensitive name and value");
	headers((const char *const[]){"Origin", "https://chat.example.com/", NULL});
	ok(!ws_upgrade_origin_allowed(&req, list, 2), "a trailing slash is another origin");
	headers((const char *const[]){"Origin", "https://chat.example.co", NULL});
	ok(!ws_upgrade_origin_allowed(&req, list, 2), "a prefix is another origin");
	headers((const char *const[]){"Origin", "", NULL});
	ok(!ws_upgrade_origin_allowed(&req, list, 2), "an empty Origin");
	headers((const char *const[]){"Host", "x", NULL});
	ok(!ws_upgrade_origin_allowed(&req, list, 2), "no Origin");
	headers((const char *const[]){"Origin", "https://chat.example.com", "Origin", "https://chat.example.com", NULL});
	ok(!ws_upgrade_origin_allowed(&req, list, 2), "two Origin headers");
}

static void test_protocols(void)
{
	static const char *const prefs[] = {"v2.chat", "v1.chat", "json"};
	headers((const char *const[]){"Sec-WebSocket-Protocol", "v1.chat, v2.chat", NULL});
	is(ws_upgrade_select_protocol(&req, prefs, 3), 0, "the server's preference wins");
	headers((const char *const[]){"Sec-WebSocket-Protocol", " v1.chat ,json", NULL});
	is(ws_upgrade_select_protocol(&req, prefs, 3), 1, "whitespace around items");
	headers((const char *const[]){"sec-websocket-protocol", "mqtt", "Sec-WebSocket-Protocol", "json", NULL});
	is(ws_upgrade_select_protocol(&req, prefs, 3), 2, "two header lines");
	headers((const char *const[]){"Sec-WebSocket-Protocol", "V2.CHAT", NULL});
	is(ws_upgrade_select_protocol(&req, prefs, 3), -1, "names are compared exactly");
	headers((const char *const[]){"Sec-WebSocket-Protocol", "v2.cha", NULL});
	is(ws_upgrade_select_protocol(&req, prefs, 3), -1, "a prefix is no match");
	headers((const char *const[]){"Sec-WebSocket-Protocol", "v2.chatt,,", NULL});
	is(ws_upgrade_select_protocol(&req, prefs, 3), -1, "a longer name is no match");
	headers((const char *const[]){"Sec-WebSocket-Protocol", ",,, ,", NULL});
	is(ws_upgrade_select_protocol(&req, prefs, 3), -1, "only separators");
	headers((const char *const[]){"Host", "x", NULL});
	is(ws_upgrade_select_protocol(&req, prefs, 3), -1, "no header");
	headers((const char *const[]){"Sec-WebSocket-Protocol", "json", NULL});
	is(ws_upgrade_select_protocol(&req, prefs, 0), -1, "no server list");
	ok(ws_subprotocol_valid("chat.v1", 7) && ws_subprotocol_valid("x-y_z~1", 7), "tokens");
	ok(!ws_subprotocol_valid("", 0) && !ws_subprotocol_valid("a b", 3) && !ws_subprotocol_valid("a,b", 3) &&
		   !ws_subprotocol_valid("\"a\"", 3) && !ws_subprotocol_valid("\xc3\xa9", 2),
	   "not tokens");
}

static int cookies_are(const char *header, const char *want)
{
	size_t n = strlen(header), pos = 0, nl, vl;
	const char *s = (const char *)tap_place(header, n), *name, *value;
	char got[512] = "";
	while (ws_cookie_next(s, n, &pos, &name, &nl, &value, &vl)) {
		size_t l = strlen(got);
		snprintf(got + l, sizeof(got) - l, "[%.*s=%.*s]", (int)nl, name, (int)vl, value);
	}
	if (strcmp(got, want) != 0)
		diag("\"%s\": got %s, want %s", header, got, want);
	return strcmp(got, want) == 0;
}

static void test_cookies(void)
{
	ok(cookies_are("a=1; b=2", "[a=1][b=2]"), "two pairs");
	ok(cookies_are("a=1;b=2;", "[a=1][b=2]"), "no spaces, trailing semicolon");
	ok(cookies_are("  a = 1 ;\tb= two words ", "[a=1][b=two words]"), "whitespace trimmed");
	ok(cookies_are("theme=\"dark\"; q=\"\"; one=\"", "[theme=dark][q=][one=\"]"), "double quotes");
	ok(cookies_are("flag; =nameless; x=a=b", "[flag=][x=a=b]"), "no '=', no name, '=' in the value");
	ok(cookies_are("", ""), "empty");
	ok(cookies_are(";;; ; ", ""), "only separators");
	ok(cookies_are("a=%20", "[a=%20]"), "values are not decoded");
}

/* ws_response_header_check(): once with the value, once with the name
 * ending at the guard page (there is one guard: the other is a copy). */
static int header_check(const char *name, const char *value, size_t vlen)
{
	static char nbuf[64], vbuf[64];
	size_t nl = strlen(name);
	memcpy(nbuf, name, nl);
	memcpy(vbuf, value, vlen);
	int a = ws_response_header_check(nbuf, nl, (const char *)tap_place(value, vlen), vlen);
	int b = ws_response_header_check((const char *)tap_place(name, nl), nl, vbuf, vlen);
	return a == b ? a : -1;
}
#define HC(name, value) header_check(name, value, sizeof(value) - 1)

static void test_response_headers(void)
{
	is(HC("Set-Cookie", "a=1; Path=/; HttpOnly"), WS_HEADER_OK, "Set-Cookie");
	is(HC("WWW-Authenticate", "Bearer realm=\"chat\""), WS_HEADER_OK, "quotes");
	is(HC("X-Tab", "a\tb"), WS_HEADER_OK, "an inner HTAB");
	is(HC("X-Empty", ""), WS_HEADER_OK, "an empty value");
	is(HC("X-Utf8", "caf\xc3\xa9"), WS_HEADER_OK, "obs-text");
	is(HC("!#$%&'*+-.^_`|~", "v"), WS_HEADER_OK, "every tchar");
	is(HC("", "v"), WS_HEADER_BAD_NAME, "empty name");
	is(HC("Bad Name", "v"), WS_HEADER_BAD_NAME, "space in the name");
	is(HC("X:Y", "v"), WS_HEADER_BAD_NAME, "colon in the name");
	is(HC("X\r\nY", "v"), WS_HEADER_BAD_NAME, "CRLF in the name");
	is(HC("x-\xc3\xa9", "v"), WS_HEADER_BAD_NAME, "non-ASCII name");
	is(HC("X", "a\r\nSet-Cookie: evil=1"), WS_HEADER_BAD_VALUE, "CRLF in the value");
	is(HC("X", "a\rb"), WS_HEADER_BAD_VALUE, "bare CR");
	is(HC("X", "a\nb"), WS_HEADER_BAD_VALUE, "bare LF");
	is(header_check("X", "a\0b", 3), WS_HEADER_BAD_VALUE, "NUL");
	is(HC("X", "a\x7f"), WS_HEADER_BAD_VALUE, "DEL");
	is(HC("X", "a\x01"), WS_HEADER_BAD_VALUE, "another control character");
	is(HC("X", " a"), WS_HEADER_BAD_VALUE, "leading space");
	is(HC("X", "a\t"), WS_HEADER_BAD_VALUE, "trailing HTAB");
	const char *reserved[] = {"Connection", "upgrade", "CONTENT-LENGTH", "Transfer-Encoding", "Sec-WebSocket-Accept",
				  "sec-websocket-protocol", "Sec-WebSocket-Extensions", "Sec-WebSocket-Version",
				  "Sec-WebSocket-Key"};
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		is(header_check(reserved[i], "x", 1), WS_HEADER_RESERVED, "%s is the server's", reserved[i]);
	is(HC("Connections", "x"), WS_HEADER_OK, "a longer name is not Connection");
	is(HC("Content-Type", "application/json"), WS_HEADER_OK, "Content-Type is the application's");
}

int main(void)
{
	test_origins();
	test_protocols();
	test_cookies();
	test_response_headers();
	return done_testing();
}
