/* libFuzzer target for the cluster bus codec and URL parser (src/ws_bus.c).
 * A message that decodes must encode back to the very same bytes (the
 * format has one encoding per message), and must account for every byte. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ws.h"
#include "ws_bus.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ws_bus_msg_t m;
	if (ws_bus_decode(data, size, SIZE_MAX, &m) == 0) {
		if (WS_BUS_HEADER + (m.room ? m.room_len : 0) + m.len != size)
			abort();
		uint8_t *out = malloc(size ? size : 1);
		if (!out || ws_bus_encode(&m, out, size) != (int)size || memcmp(out, data, size) != 0)
			abort();
		free(out);
	}
	/* The same bytes as a URL (NUL-terminated copy). */
	char *url = malloc(size + 1);
	if (!url)
		return 0;
	memcpy(url, data, size);
	url[size] = 0;
	ws_bus_addr_t a;
	char err[128];
	if (ws_bus_parse_url(url, &a, err, sizeof(err)) == 0) {
		if (!a.prefix[0] || strlen(a.prefix) > 64 || (!a.is_unix && (a.port < 1 || a.port > 65535)))
			abort();
	}
	free(url);
	return 0;
}
