/*
 * Salon\Request: the upgrade request of a connection, copied out of the
 * core once (the core's copy goes away with the connection).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
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

void php_ws_request_build(zval *out, const ws_request_t *req)
{
	zval headers;

	object_init_ex(out, php_ws_request_ce);
	zend_object *obj = Z_OBJ_P(out);

	ZVAL_STRINGL(OBJ_PROP_NUM(obj, PHP_WS_REQ_PROP_METHOD), req->method, req->method_len);
	ZVAL_STRINGL(OBJ_PROP_NUM(obj, PHP_WS_REQ_PROP_PATH), req->path, req->path_len);
	ZVAL_STRINGL(OBJ_PROP_NUM(obj, PHP_WS_REQ_PROP_QUERY), req->query, req->query_len);

	/* RFC 9110 §5.3: repeated fields combine into one, joined by commas. */
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
			smart_str_appendl(&joined, ", ", 2);
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
