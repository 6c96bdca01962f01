/* This is a generated file, edit the .stub.php file instead.
 * Stub hash: cda7cc67cf3e6942c027dbb502855f4ca436c452 */

ZEND_BEGIN_ARG_INFO_EX(arginfo_class_Salon_Server___construct, 0, 0, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, host, IS_STRING, 0, "\"127.0.0.1\"")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, port, IS_LONG, 0, "8000")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, options, IS_ARRAY, 0, "[]")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Server_on, 0, 2, IS_STATIC, 0)
	ZEND_ARG_TYPE_INFO(0, event, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, handler, IS_CALLABLE, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Server_run, 0, 0, IS_VOID, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Salon_Server_stop arginfo_class_Salon_Server_run

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Server_broadcast, 0, 1, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, data, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, binary, _IS_BOOL, 0, "false")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, room, IS_STRING, 1, "null")
	ZEND_ARG_OBJ_INFO_WITH_DEFAULT_VALUE(0, except, Salon\\Connection, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Server_roomCount, 0, 1, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, room, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Server_rooms, 0, 0, IS_ARRAY, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Salon_Server_connections arginfo_class_Salon_Server_rooms

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_class_Salon_Server_connection, 0, 1, Salon\\Connection, 1)
	ZEND_ARG_TYPE_INFO(0, id, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Server_count, 0, 0, IS_LONG, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Salon_Server_port arginfo_class_Salon_Server_count

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Server_host, 0, 0, IS_STRING, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Salon_Server_stats arginfo_class_Salon_Server_rooms

#define arginfo_class_Salon_Server_reloadTls arginfo_class_Salon_Server_run

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Server_after, 0, 2, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO(0, seconds, IS_DOUBLE, 0)
	ZEND_ARG_TYPE_INFO(0, callback, IS_CALLABLE, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Salon_Server_every arginfo_class_Salon_Server_after

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Server_cancel, 0, 1, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO(0, id, IS_LONG, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Salon_Server_workerId arginfo_class_Salon_Server_count

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Server_clusterCount, 0, 0, IS_LONG, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, room, IS_STRING, 1, "null")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Connection_send, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, data, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, binary, _IS_BOOL, 0, "false")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Connection_ping, 0, 0, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, payload, IS_STRING, 0, "\"\"")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Connection_close, 0, 0, IS_VOID, 0)
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, code, IS_LONG, 0, "1000")
	ZEND_ARG_TYPE_INFO_WITH_DEFAULT_VALUE(0, reason, IS_STRING, 0, "\"\"")
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Connection_isOpen, 0, 0, _IS_BOOL, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Connection_join, 0, 1, _IS_BOOL, 0)
	ZEND_ARG_TYPE_INFO(0, room, IS_STRING, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Salon_Connection_leave arginfo_class_Salon_Connection_join

#define arginfo_class_Salon_Connection_rooms arginfo_class_Salon_Server_rooms

#define arginfo_class_Salon_Connection_bufferedAmount arginfo_class_Salon_Server_count

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_class_Salon_Connection_request, 0, 0, Salon\\Request, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Connection_subprotocol, 0, 0, IS_STRING, 1)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_OBJ_INFO_EX(arginfo_class_Salon_Connection_server, 0, 0, Salon\\Server, 0)
ZEND_END_ARG_INFO()

#define arginfo_class_Salon_Request_queryParams arginfo_class_Salon_Server_rooms

#define arginfo_class_Salon_Request_cookies arginfo_class_Salon_Server_rooms

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Request_header, 0, 1, IS_STRING, 1)
	ZEND_ARG_TYPE_INFO(0, name, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Response_status, 0, 1, IS_STATIC, 0)
	ZEND_ARG_TYPE_INFO(0, status, IS_LONG, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Response_header, 0, 2, IS_STATIC, 0)
	ZEND_ARG_TYPE_INFO(0, name, IS_STRING, 0)
	ZEND_ARG_TYPE_INFO(0, value, IS_STRING, 0)
ZEND_END_ARG_INFO()

ZEND_BEGIN_ARG_WITH_RETURN_TYPE_INFO_EX(arginfo_class_Salon_Response_body, 0, 1, IS_STATIC, 0)
	ZEND_ARG_TYPE_INFO(0, body, IS_STRING, 0)
ZEND_END_ARG_INFO()


ZEND_METHOD(Salon_Server, __construct);
ZEND_METHOD(Salon_Server, on);
ZEND_METHOD(Salon_Server, run);
ZEND_METHOD(Salon_Server, stop);
ZEND_METHOD(Salon_Server, broadcast);
ZEND_METHOD(Salon_Server, roomCount);
ZEND_METHOD(Salon_Server, rooms);
ZEND_METHOD(Salon_Server, connections);
ZEND_METHOD(Salon_Server, connection);
ZEND_METHOD(Salon_Server, count);
ZEND_METHOD(Salon_Server, port);
ZEND_METHOD(Salon_Server, host);
ZEND_METHOD(Salon_Server, stats);
ZEND_METHOD(Salon_Server, reloadTls);
ZEND_METHOD(Salon_Server, after);
ZEND_METHOD(Salon_Server, every);
ZEND_METHOD(Salon_Server, cancel);
ZEND_METHOD(Salon_Server, workerId);
ZEND_METHOD(Salon_Server, clusterCount);
ZEND_METHOD(Salon_Connection, send);
ZEND_METHOD(Salon_Connection, ping);
ZEND_METHOD(Salon_Connection, close);
ZEND_METHOD(Salon_Connection, isOpen);
ZEND_METHOD(Salon_Connection, join);
ZEND_METHOD(Salon_Connection, leave);
ZEND_METHOD(Salon_Connection, rooms);
ZEND_METHOD(Salon_Connection, bufferedAmount);
ZEND_METHOD(Salon_Connection, request);
ZEND_METHOD(Salon_Connection, subprotocol);
ZEND_METHOD(Salon_Connection, server);
ZEND_METHOD(Salon_Request, queryParams);
ZEND_METHOD(Salon_Request, cookies);
ZEND_METHOD(Salon_Request, header);
ZEND_METHOD(Salon_Response, status);
ZEND_METHOD(Salon_Response, header);
ZEND_METHOD(Salon_Response, body);


static const zend_function_entry class_Salon_Exception_methods[] = {
	ZEND_FE_END
};


static const zend_function_entry class_Salon_Server_methods[] = {
	ZEND_ME(Salon_Server, __construct, arginfo_class_Salon_Server___construct, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Server, on, arginfo_class_Salon_Server_on, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Server, run, arginfo_class_Salon_Server_run, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Server, stop, arginfo_class_Salon_Server_stop, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Server, broadcast, arginfo_class_Salon_Server_broadcast, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Server, roomCount, arginfo_class_Salon_Server_roomCount, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Server, rooms, arginfo_class_Salon_Server_rooms, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Server, connections, arginfo_class_Salon_Server_connections, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Server, connection, arginfo_class_Salon_Server_connection, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Server, count, arginfo_class_Salon_Server_count, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Server, port, arginfo_class_Salon_Server_port, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Server, host, arginfo_class_Salon_Server_host, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Server, stats, arginfo_class_Salon_Server_stats, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Server, reloadTls, arginfo_class_Salon_Server_reloadTls, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Server, after, arginfo_class_Salon_Server_after, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Server, every, arginfo_class_Salon_Server_every, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Server, cancel, arginfo_class_Salon_Server_cancel, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Server, workerId, arginfo_class_Salon_Server_workerId, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Server, clusterCount, arginfo_class_Salon_Server_clusterCount, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Salon_Connection_methods[] = {
	ZEND_ME(Salon_Connection, send, arginfo_class_Salon_Connection_send, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Connection, ping, arginfo_class_Salon_Connection_ping, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Connection, close, arginfo_class_Salon_Connection_close, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Connection, isOpen, arginfo_class_Salon_Connection_isOpen, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Connection, join, arginfo_class_Salon_Connection_join, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Connection, leave, arginfo_class_Salon_Connection_leave, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Connection, rooms, arginfo_class_Salon_Connection_rooms, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Connection, bufferedAmount, arginfo_class_Salon_Connection_bufferedAmount, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Connection, request, arginfo_class_Salon_Connection_request, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Connection, subprotocol, arginfo_class_Salon_Connection_subprotocol, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Connection, server, arginfo_class_Salon_Connection_server, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Salon_Request_methods[] = {
	ZEND_ME(Salon_Request, queryParams, arginfo_class_Salon_Request_queryParams, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Request, cookies, arginfo_class_Salon_Request_cookies, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Request, header, arginfo_class_Salon_Request_header, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};


static const zend_function_entry class_Salon_Response_methods[] = {
	ZEND_ME(Salon_Response, status, arginfo_class_Salon_Response_status, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Response, header, arginfo_class_Salon_Response_header, ZEND_ACC_PUBLIC)
	ZEND_ME(Salon_Response, body, arginfo_class_Salon_Response_body, ZEND_ACC_PUBLIC)
	ZEND_FE_END
};

static zend_class_entry *register_class_Salon_Exception(zend_class_entry *class_entry_RuntimeException)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Salon", "Exception", class_Salon_Exception_methods);
	class_entry = zend_register_internal_class_ex(&ce, class_entry_RuntimeException);

	return class_entry;
}

static zend_class_entry *register_class_Salon_Server(zend_class_entry *class_entry_Countable)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Salon", "Server", class_Salon_Server_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;
	zend_class_implements(class_entry, 1, class_entry_Countable);

	return class_entry;
}

static zend_class_entry *register_class_Salon_Connection(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Salon", "Connection", class_Salon_Connection_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NOT_SERIALIZABLE|ZEND_ACC_ALLOW_DYNAMIC_PROPERTIES;

	zval property_id_default_value;
	ZVAL_UNDEF(&property_id_default_value);
	zend_string *property_id_name = zend_string_init("id", sizeof("id") - 1, 1);
	zend_declare_typed_property(class_entry, property_id_name, &property_id_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_LONG));
	zend_string_release(property_id_name);

	zval property_remoteAddress_default_value;
	ZVAL_UNDEF(&property_remoteAddress_default_value);
	zend_string *property_remoteAddress_name = zend_string_init("remoteAddress", sizeof("remoteAddress") - 1, 1);
	zend_declare_typed_property(class_entry, property_remoteAddress_name, &property_remoteAddress_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_remoteAddress_name);

	zval property_data_default_value;
	ZVAL_NULL(&property_data_default_value);
	zend_string *property_data_name = zend_string_init("data", sizeof("data") - 1, 1);
	zend_declare_typed_property(class_entry, property_data_name, &property_data_default_value, ZEND_ACC_PUBLIC, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_ANY));
	zend_string_release(property_data_name);

	zend_string *attribute_name_AllowDynamicProperties_class_Salon_Connection = zend_string_init_interned("AllowDynamicProperties", sizeof("AllowDynamicProperties") - 1, 1);
	zend_add_class_attribute(class_entry, attribute_name_AllowDynamicProperties_class_Salon_Connection, 0);
	zend_string_release(attribute_name_AllowDynamicProperties_class_Salon_Connection);

	return class_entry;
}

static zend_class_entry *register_class_Salon_Request(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Salon", "Request", class_Salon_Request_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES;

	zval property_method_default_value;
	ZVAL_UNDEF(&property_method_default_value);
	zend_string *property_method_name = zend_string_init("method", sizeof("method") - 1, 1);
	zend_declare_typed_property(class_entry, property_method_name, &property_method_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_method_name);

	zval property_path_default_value;
	ZVAL_UNDEF(&property_path_default_value);
	zend_string *property_path_name = zend_string_init("path", sizeof("path") - 1, 1);
	zend_declare_typed_property(class_entry, property_path_name, &property_path_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_path_name);

	zval property_query_default_value;
	ZVAL_UNDEF(&property_query_default_value);
	zend_string *property_query_name = zend_string_init("query", sizeof("query") - 1, 1);
	zend_declare_typed_property(class_entry, property_query_name, &property_query_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_query_name);

	zval property_headers_default_value;
	ZVAL_UNDEF(&property_headers_default_value);
	zend_string *property_headers_name = zend_string_init("headers", sizeof("headers") - 1, 1);
	zend_declare_typed_property(class_entry, property_headers_name, &property_headers_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_ARRAY));
	zend_string_release(property_headers_name);

	zval property_remoteAddress_default_value;
	ZVAL_UNDEF(&property_remoteAddress_default_value);
	zend_string *property_remoteAddress_name = zend_string_init("remoteAddress", sizeof("remoteAddress") - 1, 1);
	zend_declare_typed_property(class_entry, property_remoteAddress_name, &property_remoteAddress_default_value, ZEND_ACC_PUBLIC|ZEND_ACC_READONLY, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_STRING));
	zend_string_release(property_remoteAddress_name);

	zval property_data_default_value;
	ZVAL_NULL(&property_data_default_value);
	zend_string *property_data_name = zend_string_init("data", sizeof("data") - 1, 1);
	zend_declare_typed_property(class_entry, property_data_name, &property_data_default_value, ZEND_ACC_PUBLIC, NULL, (zend_type) ZEND_TYPE_INIT_MASK(MAY_BE_ANY));
	zend_string_release(property_data_name);

	return class_entry;
}

static zend_class_entry *register_class_Salon_Response(void)
{
	zend_class_entry ce, *class_entry;

	INIT_NS_CLASS_ENTRY(ce, "Salon", "Response", class_Salon_Response_methods);
	class_entry = zend_register_internal_class_ex(&ce, NULL);
	class_entry->ce_flags |= ZEND_ACC_FINAL|ZEND_ACC_NO_DYNAMIC_PROPERTIES|ZEND_ACC_NOT_SERIALIZABLE;

	return class_entry;
}
