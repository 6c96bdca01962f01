/*
 * Salon\Request: the upgrade request of a connection, copied out of the
 * core once (the core's copy goes away with the connection). Salon\Response:
 * what the handshake handler adds to the answer to it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "SAPI.h"
#include "php_variables.h"
#include "ext/standard/url.h"
#include "zend_smart_str.h"

#include "php_salon.h"

zend_object *php_ws_request_create(zend_class_entry *ce)
{
	zend_object *obj = zend_objects_new(ce);

	object_properties_init(obj, ce);
	obj->handlers = &php_ws_request_handlers;
	return obj;
}

zend_function *php_ws_request_get_constructor(zend_object *obj)
{
	zend_throw_error(NULL, "Cannot directly construct Salon\\Request");
	return NULL;
}

void php_ws_request_build(zval *out, const ws_request_t *req, const char *remote)
{
	zval headers;

	object_init_ex(out, php_ws_request_ce);
	zend_object *obj = Z_OBJ_P(out);

	ZVAL_STRINGL(OBJ_PROP_NUM(obj, PHP_WS_REQ_PROP_METHOD), req->method, req->method_len);
	ZVAL_STRINGL(OBJ_PROP_NUM(obj, PHP_WS_REQ_PROP_PATH), req->path, req->path_len);
	ZVAL_STRINGL(OBJ_PROP_NUM(obj, PHP_WS_REQ_PROP_QUERY), req->query, req->query_len);
	ZVAL_STRING(OBJ_PROP_NUM(obj, PHP_WS_REQ_PROP_REMOTE), remote);

	/* RFC 9110 §5.3: repeated fields combine into one, joined by commas;
	 * Cookie lines are joined by "; " (RFC 9113 §8.2.3), so that cookies()
	 * sees one cookie-string. */
	array_init_size(&headers, (uint32_t)req->num_headers);
	for (size_t i = 0; i < req->num_headers; i++) {
		const ws_header_t *h = &req->headers[i];
		zend_string *raw = zend_string_init(h->name, h->name_len, 0);
		zend_string *name = zend_string_tolower(raw);
		zend_string_release(raw);
		zval *prev = zend_symtable_find(Z_ARRVAL(headers), name);
		if (prev) {
			smart_str joined = {0};
			smart_str_append(&joined, Z_STR_P(prev));
			if (zend_string_equals_literal(name, "cookie")) {
				smart_str_appendl(&joined, "; ", 2);
			} else {
				smart_str_appendl(&joined, ", ", 2);
			}
			smart_str_appendl(&joined, h->value, h->value_len);
			zval_ptr_dtor(prev);
			ZVAL_STR(prev, smart_str_extract(&joined));
		} else {
			zval value;
			ZVAL_STRINGL(&value, h->value, h->value_len);
			zend_symtable_add_new(Z_ARRVAL(headers), name, &value);
		}
		zend_string_release(name);
	}
	ZVAL_COPY_VALUE(OBJ_PROP_NUM(obj, PHP_WS_REQ_PROP_HEADERS), &headers);
}

ZEND_METHOD(Salon_Request, queryParams)
{
	ZEND_PARSE_PARAMETERS_NONE();

	zval *query = OBJ_PROP_NUM(Z_OBJ_P(ZEND_THIS), PHP_WS_REQ_PROP_QUERY);
	array_init(return_value);
	if (Z_TYPE_P(query) != IS_STRING || Z_STRLEN_P(query) == 0) {
		return;
	}
	/* As parse_str() and $_GET do it: "a[]=1&a[]=2", "+" for a space,
	 * max_input_vars and friends. treat_data frees the copy. */
	sapi_module.treat_data(PARSE_STRING, estrndup(Z_STRVAL_P(query), Z_STRLEN_P(query)), return_value);
}

ZEND_METHOD(Salon_Request, cookies)
{
	ZEND_PARSE_PARAMETERS_NONE();

	zval *headers = OBJ_PROP_NUM(Z_OBJ_P(ZEND_THIS), PHP_WS_REQ_PROP_HEADERS);
	zval *cookie = Z_TYPE_P(headers) == IS_ARRAY ? zend_hash_str_find(Z_ARRVAL_P(headers), "cookie", 6) : NULL;
	array_init(return_value);
	if (!cookie || Z_TYPE_P(cookie) != IS_STRING) {
		return;
	}
	const char *name, *value;
	size_t pos = 0, nlen, vlen;
	while (ws_cookie_next(Z_STRVAL_P(cookie), Z_STRLEN_P(cookie), &pos, &name, &nlen, &value, &vlen)) {
		/* Values are URL-decoded as in $_COOKIE (setcookie() encodes
		 * them); names are kept as sent. The first of two cookies with
		 * one name wins, as in $_COOKIE: the more specific path comes
		 * first (RFC 6265 §5.4). */
		if (zend_symtable_str_exists(Z_ARRVAL_P(return_value), name, nlen)) {
			continue;
		}
		zend_string *v = zend_string_init(value, vlen, 0);
		ZSTR_LEN(v) = php_url_decode(ZSTR_VAL(v), ZSTR_LEN(v));
		zval zv;
		ZVAL_STR(&zv, v);
		zend_symtable_str_update(Z_ARRVAL_P(return_value), name, nlen, &zv);
	}
}

ZEND_METHOD(Salon_Request, header)
{
	zend_string *name;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(name)
	ZEND_PARSE_PARAMETERS_END();

	zval *headers = OBJ_PROP_NUM(Z_OBJ_P(ZEND_THIS), PHP_WS_REQ_PROP_HEADERS);
	if (Z_TYPE_P(headers) != IS_ARRAY) {
		RETURN_NULL();
	}
	zend_string *lower = zend_string_tolower(name);
	zval *value = zend_symtable_find(Z_ARRVAL_P(headers), lower);
	zend_string_release(lower);
	if (!value) {
		RETURN_NULL();
	}
	RETURN_COPY_DEREF(value);
}

zend_object *php_ws_response_create(zend_class_entry *ce)
{
	php_ws_response *res = zend_object_alloc(sizeof(php_ws_response), ce);

	zend_object_std_init(&res->std, ce);
	object_properties_init(&res->std, ce);
	res->std.handlers = &php_ws_response_handlers;
	res->status = 0;
	res->headers = NULL;
	res->body = NULL;
	return &res->std;
}

void php_ws_response_free(zend_object *obj)
{
	php_ws_response *res = php_ws_response_from_obj(obj);

	if (res->headers) {
		zend_array_destroy(res->headers);
	}
	if (res->body) {
		zend_string_release(res->body);
	}
	zend_object_std_dtor(&res->std);
}

zend_function *php_ws_response_get_constructor(zend_object *obj)
{
	zend_throw_error(NULL, "Cannot directly construct Salon\\Response");
	return NULL;
}

ZEND_METHOD(Salon_Response, status)
{
	php_ws_response *res = Z_WS_RESPONSE_P(ZEND_THIS);
	zend_long status;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_LONG(status)
	ZEND_PARSE_PARAMETERS_END();

	if (status < 300 || status > 599) {
		zend_argument_value_error(1, "must be between 300 and 599 (a rejection; returning true accepts with 101)");
		RETURN_THROWS();
	}
	res->status = status;
	RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

ZEND_METHOD(Salon_Response, header)
{
	php_ws_response *res = Z_WS_RESPONSE_P(ZEND_THIS);
	zend_string *name, *value;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_STR(name)
		Z_PARAM_STR(value)
	ZEND_PARSE_PARAMETERS_END();

	/* The core's rule, checked here too so that the mistake is a
	 * ValueError where it was made. */
	switch (ws_response_header_check(ZSTR_VAL(name), ZSTR_LEN(name), ZSTR_VAL(value), ZSTR_LEN(value))) {
	case WS_HEADER_OK:
		break;
	case WS_HEADER_BAD_NAME:
		zend_argument_value_error(1, "must be a token (RFC 9110: letters, digits and !#$%%&'*+-.^_`|~)");
		RETURN_THROWS();
	case WS_HEADER_RESERVED:
		zend_argument_value_error(1, "must not be \"%s\": the server writes that header itself", ZSTR_VAL(name));
		RETURN_THROWS();
	default:
		zend_argument_value_error(
			2, "must not contain CR, LF, NUL or other control characters, nor start or end with whitespace");
		RETURN_THROWS();
	}
	if (!res->headers) {
		res->headers = zend_new_array(4);
	}
	zval zv;
	ZVAL_STR_COPY(&zv, name);
	zend_hash_next_index_insert_new(res->headers, &zv);
	ZVAL_STR_COPY(&zv, value);
	zend_hash_next_index_insert_new(res->headers, &zv);
	RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

ZEND_METHOD(Salon_Response, body)
{
	php_ws_response *res = Z_WS_RESPONSE_P(ZEND_THIS);
	zend_string *body;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(body)
	ZEND_PARSE_PARAMETERS_END();

	if (res->body) {
		zend_string_release(res->body);
	}
	res->body = zend_string_copy(body);
	RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}
