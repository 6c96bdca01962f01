/* Salon's C core with a C handler: an echo server (a broadcast relay with
 * -b; with -r a room relay: connections whose request path is /room join
 * the room "room", every message goes to its members) with no PHP in the
 * way, the ceiling for the PHP layer. -z turns permessage-deflate on (the
 * core's defaults).
 * Usage: echo_c [port] [-b | -r] [-z] [--tls CERT KEY] (--tls: wss://) */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ws.h"

static int broadcast_mode, room_mode;

static void on_open(ws_conn_t *c, void *ud)
{
	(void)ud;
	const ws_request_t *req = ws_conn_request(c);
	if (req && req->path_len == 5 && memcmp(req->path, "/room", 5) == 0)
		ws_conn_join(c, "room", 4);
}

static void on_message(ws_conn_t *c, const uint8_t *data, size_t len, int binary, void *ud)
{
	(void)ud;
	if (room_mode)
		ws_server_broadcast_room(ws_conn_server(c), "room", 4, data, len, binary, NULL);
	else if (broadcast_mode)
		ws_server_broadcast(ws_conn_server(c), data, len, binary, NULL);
	else
		ws_conn_send(c, data, len, binary);
}

int main(int argc, char **argv)
{
	ws_config_t cfg;
	ws_config_init(&cfg);
	cfg.port = 9001;
	cfg.max_message_size = 16 * 1024 * 1024;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-b") == 0)
			broadcast_mode = 1;
		else if (strcmp(argv[i], "-r") == 0)
			room_mode = 1;
		else if (strcmp(argv[i], "-z") == 0)
			cfg.compression.enabled = 1;
		else if (strcmp(argv[i], "--tls") == 0 && i + 2 < argc) {
			cfg.tls.cert = argv[++i];
			cfg.tls.key = argv[++i];
		} else
			cfg.port = atoi(argv[i]);
	}
	signal(SIGPIPE, SIG_IGN);
	ws_callbacks_t cb = {0};
	cb.on_message = on_message;
	if (room_mode)
		cb.on_open = on_open;
	ws_server_t *s;
	char err[256];
	if (ws_server_new(&s, &cfg, &cb, NULL, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	printf("listening on %s://127.0.0.1:%d\n", cfg.tls.cert ? "wss" : "ws", ws_server_port(s));
	fflush(stdout);
	int rc = ws_server_run(s);
	ws_server_free(s);
	return rc ? 1 : 0;
}
