/* Application-level checks of the upgrade request (RFC 6455 §4.2.2 and
 * §10.2): the Origin allow-list and subprotocol negotiation. Pure functions
 * over caller-owned buffers; they allocate nothing. ws_subprotocol_valid()
 * and ws_cookie_next() (RFC 6265 §5.4), which ext/ uses too, are declared
 * in ws.h and defined in ws_upgrade.c. */
#ifndef SALON_WS_UPGRADE_H
#define SALON_WS_UPGRADE_H

#include <stddef.h>
#include "ws.h"

/* 1 when the request's Origin header equals one of the n origins of list
 * (ASCII case-insensitively, as scheme and host are), 0 otherwise: also
 * when there is no Origin header or more than one. */
int ws_upgrade_origin_allowed(const ws_request_t *req, const char *const *list, size_t n);

/* Subprotocol negotiation, the server's preference first: returns the
 * index in prefs of the first protocol the client offered in any of its
 * Sec-WebSocket-Protocol headers (comma-separated tokens, compared
 * exactly), or -1 when none matches or the client offered none. */
int ws_upgrade_select_protocol(const ws_request_t *req, const char *const *prefs, size_t n);

#endif
