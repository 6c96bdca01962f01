/*
 * Salon\Connection: a handle on one core connection. The handle is valid
 * from on_open until the close handler returns; after that the methods act
 * as on a closed connection and never touch the core's memory.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "zend_exceptions.h"

#include "php_salon.h"

zend_object *php_ws_connection_create(zend_class_entry *ce)
{
	php_ws_connection *conn = zend_object_alloc(sizeof(php_ws_connection), ce);

	zend_object_std_init(&conn->std, ce);
	object_properties_init(&conn->std, ce);
	conn->std.handlers = &php_ws_connection_handlers;
	conn->c = NULL;
	conn->id = 0;
	conn->subprotocol = NULL;
	conn->server = NULL;
	conn->request = NULL;
	return &conn->std;
}

void php_ws_connection_free(zend_object *obj)
{
	php_ws_connection *conn = php_ws_connection_from_obj(obj);

	/* conn->c is not ours: the server detaches it before the core frees it. */
	zend_object_std_dtor(&conn->std);
	if (conn->subprotocol) {
		zend_string_release(conn->subprotocol);
	}
	if (conn->request) {
		OBJ_RELEASE(conn->request);
	}
	if (conn->server) {
		OBJ_RELEASE(conn->server);
	}
}

HashTable *php_ws_connection_get_gc(zend_object *obj, zval **table, int *n)
{
	php_ws_connection *conn = php_ws_connection_from_obj(obj);
	zend_get_gc_buffer *buf = zend_get_gc_buffer_create();

	/* The server holds this object in its table and this object holds the
	 * server: a cycle the collector must see to free an abandoned server. */
	if (conn->server) {
		zend_get_gc_buffer_add_obj(buf, conn->server);
	}
	if (conn->request) {
		zend_get_gc_buffer_add_obj(buf, conn->request);
	}
	HashTable *props = php_ws_gc_properties(obj, buf);
	zend_get_gc_buffer_use(buf, table, n);
	return props;
}

zend_function *php_ws_connection_get_constructor(zend_object *obj)
{
	zend_throw_error(NULL, "Cannot directly construct Salon\\Connection");
	return NULL;
}

void php_ws_connection_open(zval *out, php_ws_server *srv, ws_conn_t *c)
{
	object_init_ex(out, php_ws_connection_ce);
	zend_object *obj = Z_OBJ_P(out);
	php_ws_connection *conn = php_ws_connection_from_obj(obj);

	conn->c = c;
	conn->id = ws_conn_id(c);
	/* Kept in the object so that it outlives the core connection. */
	const char *proto = ws_conn_subprotocol(c);
	conn->subprotocol = proto ? zend_string_init(proto, strlen(proto), 0) : NULL;
	GC_ADDREF(&srv->std);
	conn->server = &srv->std;
	/* Readonly properties are initialized here, once, from the inside. */
	ZVAL_LONG(OBJ_PROP_NUM(obj, PHP_WS_CONN_PROP_ID), (zend_long)conn->id);
	ZVAL_STRING(OBJ_PROP_NUM(obj, PHP_WS_CONN_PROP_REMOTE), ws_conn_remote(c));
	ws_conn_set_user_data(c, obj);
}

static void php_ws_connection_build_request(php_ws_connection *conn)
{
	const ws_request_t *req = conn->c ? ws_conn_request(conn->c) : NULL;
	if (req) {
		zval request;
		php_ws_request_build(&request, req, ws_conn_remote(conn->c));
		conn->request = Z_OBJ(request);
	}
}

void php_ws_connection_detach(php_ws_connection *conn, bool keep_request)
{
	if (!conn->c) {
		return;
	}
	/* request() must keep working after the close, but building a Request
	 * for every connection would be waste: build it only when something
	 * besides the server's table still holds this object. */
	if (keep_request && !conn->request && GC_REFCOUNT(&conn->std) > 1) {
		php_ws_connection_build_request(conn);
	}
	conn->c = NULL;
}

ZEND_METHOD(Salon_Connection, send)
{
	php_ws_connection *conn = Z_WS_CONNECTION_P(ZEND_THIS);
	zend_string *data;
	bool binary = false;

	ZEND_PARSE_PARAMETERS_START(1, 2)
		Z_PARAM_STR(data)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(binary)
	ZEND_PARSE_PARAMETERS_END();

	if (!conn->c) {
		RETURN_FALSE;
	}
	/* Over max_buffered the core may close the connection at once, which
	 * runs the close handler (and detaches conn) before this returns. */
	int rc = ws_conn_send(conn->c, (const uint8_t *)ZSTR_VAL(data), ZSTR_LEN(data), binary);
	if (rc == 0) {
		RETURN_TRUE;
	}
	if (rc == WS_ERR_CLOSED || rc == WS_ERR_FULL) {
		RETURN_FALSE;
	}
	zend_throw_exception_ex(php_ws_exception_ce, 0, "Could not send: %s", ws_strerror(rc));
	RETURN_THROWS();
}

ZEND_METHOD(Salon_Connection, ping)
{
	php_ws_connection *conn = Z_WS_CONNECTION_P(ZEND_THIS);
	zend_string *payload = ZSTR_EMPTY_ALLOC();

	ZEND_PARSE_PARAMETERS_START(0, 1)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR(payload)
	ZEND_PARSE_PARAMETERS_END();

	/* RFC 6455 §5.5: control frame payloads are at most 125 bytes. */
	if (ZSTR_LEN(payload) > 125) {
		zend_argument_value_error(1, "must be at most 125 bytes long");
		RETURN_THROWS();
	}
	if (!conn->c) {
		return;
	}
	int rc = ws_conn_ping(conn->c, (const uint8_t *)ZSTR_VAL(payload), ZSTR_LEN(payload));
	if (rc != 0 && rc != WS_ERR_CLOSED) {
		zend_throw_exception_ex(php_ws_exception_ce, 0, "Could not ping: %s", ws_strerror(rc));
		RETURN_THROWS();
	}
}

ZEND_METHOD(Salon_Connection, close)
{
	php_ws_connection *conn = Z_WS_CONNECTION_P(ZEND_THIS);
	zend_long code = WS_CLOSE_NORMAL;
	zend_string *reason = ZSTR_EMPTY_ALLOC();

	ZEND_PARSE_PARAMETERS_START(0, 2)
		Z_PARAM_OPTIONAL
		Z_PARAM_LONG(code)
		Z_PARAM_STR(reason)
	ZEND_PARSE_PARAMETERS_END();

	/* RFC 6455 §5.5: 2 bytes of code + reason fit in 125. */
	if (ZSTR_LEN(reason) > 123) {
		zend_argument_value_error(2, "must be at most 123 bytes long");
		RETURN_THROWS();
	}
	if (code < 0 || code > UINT16_MAX) {
		goto bad_code;
	}
	if (!conn->c) {
		return;
	}
	/* The core decides which codes may go on the wire (RFC 6455 §7.4);
	 * with the reason checked above, WS_ERR_INVAL can only be the code. */
	int rc = ws_conn_close(conn->c, (uint16_t)code, ZSTR_VAL(reason), ZSTR_LEN(reason));
	if (rc == WS_ERR_INVAL) {
		goto bad_code;
	}
	if (rc != 0 && rc != WS_ERR_CLOSED) {
		zend_throw_exception_ex(php_ws_exception_ce, 0, "Could not close: %s", ws_strerror(rc));
		RETURN_THROWS();
	}
	return;

bad_code:
	zend_argument_value_error(1, "must be 1000-1003, 1007-1011 or 3000-4999");
	RETURN_THROWS();
}

ZEND_METHOD(Salon_Connection, isOpen)
{
	php_ws_connection *conn = Z_WS_CONNECTION_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_BOOL(conn->c && ws_conn_is_open(conn->c));
}

ZEND_METHOD(Salon_Connection, join)
{
	php_ws_connection *conn = Z_WS_CONNECTION_P(ZEND_THIS);
	zend_string *room;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(room)
	ZEND_PARSE_PARAMETERS_END();

	if (ZSTR_LEN(room) == 0) {
		zend_argument_value_error(1, "must not be empty");
		RETURN_THROWS();
	}
	if (!conn->c) {
		RETURN_FALSE;
	}
	int rc = ws_conn_join(conn->c, ZSTR_VAL(room), ZSTR_LEN(room));
	if (rc < 0 && rc != WS_ERR_CLOSED) {
		zend_throw_exception_ex(php_ws_exception_ce, 0, "Could not join the room: %s", ws_strerror(rc));
		RETURN_THROWS();
	}
	RETURN_BOOL(rc == 1);
}

ZEND_METHOD(Salon_Connection, leave)
{
	php_ws_connection *conn = Z_WS_CONNECTION_P(ZEND_THIS);
	zend_string *room;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(room)
	ZEND_PARSE_PARAMETERS_END();

	RETURN_BOOL(conn->c && ws_conn_leave(conn->c, ZSTR_VAL(room), ZSTR_LEN(room)) == 1);
}

ZEND_METHOD(Salon_Connection, rooms)
{
	php_ws_connection *conn = Z_WS_CONNECTION_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	if (!conn->c) {
		RETURN_EMPTY_ARRAY();
	}
	size_t n = ws_conn_room_count(conn->c);
	array_init_size(return_value, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		size_t len;
		const char *name = ws_conn_room(conn->c, i, &len);
		add_next_index_stringl(return_value, name, len);
	}
}

ZEND_METHOD(Salon_Connection, bufferedAmount)
{
	php_ws_connection *conn = Z_WS_CONNECTION_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_LONG(conn->c ? (zend_long)ws_conn_buffered(conn->c) : 0);
}

ZEND_METHOD(Salon_Connection, subprotocol)
{
	php_ws_connection *conn = Z_WS_CONNECTION_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	if (!conn->subprotocol) {
		RETURN_NULL();
	}
	RETURN_STR_COPY(conn->subprotocol);
}

ZEND_METHOD(Salon_Connection, request)
{
	php_ws_connection *conn = Z_WS_CONNECTION_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	if (!conn->request) {
		php_ws_connection_build_request(conn);
		if (!conn->request) {
			zend_throw_exception(php_ws_exception_ce,
								 conn->c ? "The upgrade request is not available"
										 : "The upgrade request is not available: the connection is closed",
								 0);
			RETURN_THROWS();
		}
	}
	RETURN_OBJ_COPY(conn->request);
}

ZEND_METHOD(Salon_Connection, server)
{
	php_ws_connection *conn = Z_WS_CONNECTION_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_OBJ_COPY(conn->server);
}
