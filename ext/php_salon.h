/*
 * Salon: the Zend glue around the WebSocket core in src/.
 *
 * ext/ is thin: a method parses its arguments, calls one core function and
 * turns the result into a PHP value or an exception. Everything about the
 * protocol lives in src/ behind ws.h.
 */
#ifndef PHP_SALON_H
#define PHP_SALON_H

#include "php.h"
#include "ws.h"

extern zend_module_entry salon_module_entry;
#define phpext_salon_ptr &salon_module_entry

#define PHP_SALON_VERSION WS_VERSION

extern zend_class_entry *php_ws_exception_ce;
extern zend_class_entry *php_ws_server_ce;
extern zend_class_entry *php_ws_connection_ce;
extern zend_class_entry *php_ws_request_ce;
extern zend_class_entry *php_ws_response_ce;

extern zend_object_handlers php_ws_server_handlers;
extern zend_object_handlers php_ws_connection_handlers;
extern zend_object_handlers php_ws_request_handlers;
extern zend_object_handlers php_ws_response_handlers;

/* The events of Server::on(), in the order of the error message. */
typedef enum php_ws_event {
	PHP_WS_EV_OPEN,
	PHP_WS_EV_MESSAGE,
	PHP_WS_EV_CLOSE,
	PHP_WS_EV_ERROR,
	PHP_WS_EV_DRAIN,
	PHP_WS_EV_HANDSHAKE,
	PHP_WS_EV_START,
	PHP_WS_EV_COUNT
} php_ws_event;

/* A stored callable. The zval keeps the callable (and so the closure or
 * object the cache points into) alive and is what get_gc reports. The cache
 * saves resolving it on every call; its function_handler is NULL when the
 * callable must be resolved at each call (a __call trampoline is single-use).
 * A subclass method handler has an undefined zval: its object is the server
 * itself, which must not hold a reference to itself. */
typedef struct php_ws_callback {
	zval callable;
	zend_fcall_info_cache fcc;
} php_ws_callback;

void php_ws_callback_init(php_ws_callback *cb);
void php_ws_callback_set(php_ws_callback *cb, zend_fcall_info *fci, zend_fcall_info_cache *fcc);
void php_ws_callback_dtor(php_ws_callback *cb);
/* Calls cb; retval is always initialized on return (UNDEF after a bailout).
 * Returns false when a fatal error (zend_bailout) happened during the call:
 * the caller must then unwind without running PHP code, and rethrow the
 * bailout once the core is off the C stack. */
bool php_ws_callback_call(php_ws_callback *cb, zval *retval, uint32_t argc, zval *argv);

typedef struct php_ws_server {
	ws_server_t *s; /* NULL until __construct succeeded */
	/* id => Connection, from the first time PHP needed the object (see
	 * php_ws_conn_get()) until its close handler starts (on_close holds it
	 * while the handler runs). */
	HashTable conns;
	/* Connections from on_open until their close handler starts, objects
	 * made or not: count(). */
	size_t nconns;
	/* id => php_ws_timer *, for get_gc and to free the callbacks. */
	HashTable timers;
	php_ws_callback handlers[PHP_WS_EV_COUNT]; /* set with on() */
	php_ws_callback methods[PHP_WS_EV_COUNT];  /* onOpen() ... of a subclass */
	php_ws_callback *active[PHP_WS_EV_COUNT];  /* what dispatch calls, or NULL */
	bool running;
	bool stopping;
	/* exit() was called in a handler (its unwind_exit exception stays
	 * pending) or max_execution_time expired: no more handlers run, and
	 * run() returns as soon as it can. */
	bool unwinding;
	/* A fatal error happened in a handler: run() rethrows it. */
	bool bailout;
	bool in_error_handler;
	/* The Request the handshake handler saw, handed to the Connection
	 * that on_open makes right after (same core connection id). */
	zval handshake_request;
	uint64_t handshake_id;
	/* The SIGHUP count the last TLS reload answered (see server.c). */
	int hup_seen;
	/* Scale-out (cluster.c): options "workers" and "cluster"; in a forked
	 * worker, its number and stop-signal descriptor; while run() serves
	 * with a cluster, the bus. */
	bool is_worker;
	int signal_fd;
	zend_long workers;
	zend_long worker_id;
	zend_string *cluster_url;
	ws_cluster_t *cluster;
	zend_object std;
} php_ws_server;

typedef struct php_ws_connection {
	/* The core's handle: NULL before on_open and once the close handler
	 * returned (the core frees it later). Methods then act as on a closed
	 * connection; nothing may dereference it. */
	ws_conn_t *c;
	uint64_t id;
	/* Pointers rather than zvals: an idle connection's object is one
	 * allocation, and every byte of it counts at 100,000 of them. */
	zend_object *server;      /* strong reference to the Server object */
	zend_object *request;     /* Salon\Request, NULL until request() built it */
	zend_string *subprotocol; /* negotiated, or NULL */
	zend_object std;
} php_ws_connection;

/* Declared property slots (declaration order in salon.stub.php). */
enum { PHP_WS_CONN_PROP_ID, PHP_WS_CONN_PROP_REMOTE, PHP_WS_CONN_PROP_DATA };
enum {
	PHP_WS_REQ_PROP_METHOD,
	PHP_WS_REQ_PROP_PATH,
	PHP_WS_REQ_PROP_QUERY,
	PHP_WS_REQ_PROP_HEADERS,
	PHP_WS_REQ_PROP_REMOTE,
	PHP_WS_REQ_PROP_DATA
};

/* Salon\Response: what the handshake handler adds to the server's answer,
 * applied once the handler returned (the object holds no core pointer). */
typedef struct php_ws_response {
	zend_long status;  /* 0: none set */
	HashTable *headers; /* name, value, name, value, ... (strings); NULL: none */
	zend_string *body; /* NULL: none set */
	zend_object std;
} php_ws_response;

static inline php_ws_server *php_ws_server_from_obj(zend_object *obj)
{
	return (php_ws_server *)((char *)obj - XtOffsetOf(php_ws_server, std));
}
#define Z_WS_SERVER_P(zv) php_ws_server_from_obj(Z_OBJ_P(zv))

static inline php_ws_connection *php_ws_connection_from_obj(zend_object *obj)
{
	return (php_ws_connection *)((char *)obj - XtOffsetOf(php_ws_connection, std));
}
#define Z_WS_CONNECTION_P(zv) php_ws_connection_from_obj(Z_OBJ_P(zv))

static inline php_ws_response *php_ws_response_from_obj(zend_object *obj)
{
	return (php_ws_response *)((char *)obj - XtOffsetOf(php_ws_response, std));
}
#define Z_WS_RESPONSE_P(zv) php_ws_response_from_obj(Z_OBJ_P(zv))

/* server.c */
zend_object *php_ws_server_create(zend_class_entry *ce);
void php_ws_server_free(zend_object *obj);
HashTable *php_ws_server_get_gc(zend_object *obj, zval **table, int *n);

/* cluster.c */
typedef enum {
	PHP_WS_SCALE_SERVE,  /* run the loop here (single process, or a worker) */
	PHP_WS_SCALE_DONE,   /* the master: every worker has stopped */
	PHP_WS_SCALE_FAILED, /* an exception was thrown */
} php_ws_scale_mode;
/* An option of scale-out: 1 when key was one (and value stored), 0 when it
 * is not one, -1 after throwing. */
int php_ws_scale_option(php_ws_server *srv, zend_string *key, zval *value);
void php_ws_scale_configure(php_ws_server *srv, ws_config_t *cfg);
/* At the start of run(): forks the workers, starts the bus. */
php_ws_scale_mode php_ws_scale_begin(php_ws_server *srv);
/* At the end of run(): leaves the bus. */
void php_ws_scale_end(php_ws_server *srv, bool clean);
/* Last in run(): in a worker, ends the process (as exit() would). */
void php_ws_scale_exit(php_ws_server *srv);
void php_ws_scale_free(php_ws_server *srv);
/* Broadcasts through the bus when there is one (returns false otherwise). */
bool php_ws_scale_broadcast(php_ws_server *srv, zend_string *data, bool binary, zend_string *room, ws_conn_t *skip,
							int *rc);
void php_ws_scale_stats(php_ws_server *srv, zval *arr);
void php_ws_scale_minfo(void);

/* connection.c */
zend_object *php_ws_connection_create(zend_class_entry *ce);
void php_ws_connection_free(zend_object *obj);
HashTable *php_ws_connection_get_gc(zend_object *obj, zval **table, int *n);
zend_function *php_ws_connection_get_constructor(zend_object *obj);
/* server.c: the Connection of an open core connection, made on first use. */
php_ws_connection *php_ws_conn_get(php_ws_server *srv, ws_conn_t *c);
/* Makes the Connection of a freshly opened core connection. */
void php_ws_connection_open(zval *out, php_ws_server *srv, ws_conn_t *c);
/* Forgets the core handle. With keep_request, first builds the Request if
 * the object is still referenced from PHP, so request() works afterwards. */
void php_ws_connection_detach(php_ws_connection *conn, bool keep_request);

/* request.c */
zend_object *php_ws_request_create(zend_class_entry *ce);
zend_function *php_ws_request_get_constructor(zend_object *obj);
/* Builds a Salon\Request from the parsed upgrade request and the client's
 * address. */
void php_ws_request_build(zval *out, const ws_request_t *req, const char *remote);
zend_object *php_ws_response_create(zend_class_entry *ce);
void php_ws_response_free(zend_object *obj);
zend_function *php_ws_response_get_constructor(zend_object *obj);

/* Adds obj's declared properties (or its property table) to a GC buffer
 * and returns what get_gc should return besides it. */
HashTable *php_ws_gc_properties(zend_object *obj, zend_get_gc_buffer *buf);

#endif
