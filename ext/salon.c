/*
 * Module entry, class and object handler registration, phpinfo(), and the
 * stored-callable helpers shared by the server and its timers.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "php.h"
#include "ext/standard/info.h"
#include "ext/spl/spl_exceptions.h"
#include "zend_attributes.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"

#include <openssl/crypto.h>
#include <zlib.h>

#include "php_salon.h"
#include "salon_arginfo.h"

zend_class_entry *php_ws_exception_ce;
zend_class_entry *php_ws_server_ce;
zend_class_entry *php_ws_connection_ce;
zend_class_entry *php_ws_request_ce;
zend_class_entry *php_ws_response_ce;

zend_object_handlers php_ws_server_handlers;
zend_object_handlers php_ws_connection_handlers;
zend_object_handlers php_ws_request_handlers;
zend_object_handlers php_ws_response_handlers;

void php_ws_callback_init(php_ws_callback *cb)
{
	ZVAL_UNDEF(&cb->callable);
	cb->fcc = empty_fcall_info_cache;
}

void php_ws_callback_set(php_ws_callback *cb, zend_fcall_info *fci, zend_fcall_info_cache *fcc)
{
	php_ws_callback_dtor(cb);
	ZVAL_COPY(&cb->callable, &fci->function_name);
	cb->fcc = *fcc;
	/* A __call/__callStatic trampoline is freed by the call that uses it,
	 * so it cannot be kept: release it and resolve the callable each time. */
	zend_release_fcall_info_cache(&cb->fcc);
}

void php_ws_callback_dtor(php_ws_callback *cb)
{
	zval_ptr_dtor(&cb->callable);
	php_ws_callback_init(cb);
}

bool php_ws_callback_call(php_ws_callback *cb, zval *retval, uint32_t argc, zval *argv)
{
	volatile bool ok = true;

	ZVAL_UNDEF(retval);
	/* A fatal error in the handler longjmps. Catch it here so that it does
	 * not jump over the core's stack frames (which would leave the loop
	 * half-way through a step); run() rethrows it once the step is over. */
	/* clang-format off */
	zend_try {
		if (cb->fcc.function_handler) {
			zend_call_known_function(cb->fcc.function_handler, cb->fcc.object, cb->fcc.called_scope, retval,
						 argc, argv, NULL);
		} else {
			zend_fcall_info fci = {
				.size = sizeof(zend_fcall_info),
				.retval = retval,
				.params = argv,
				.param_count = argc,
			};
			ZVAL_COPY_VALUE(&fci.function_name, &cb->callable);
			zend_call_function(&fci, NULL);
		}
	} zend_catch {
		ok = false;
		ZVAL_UNDEF(retval);
	} zend_end_try();
	/* clang-format on */
	return ok;
}

HashTable *php_ws_gc_properties(zend_object *obj, zend_get_gc_buffer *buf)
{
	/* Once built, the properties table holds the declared slots too (as
	 * INDIRECT), so it must not be reported alongside them. */
	if (obj->properties) {
		return obj->properties;
	}
	for (int i = 0; i < obj->ce->default_properties_count; i++) {
		zend_get_gc_buffer_add_zval(buf, &obj->properties_table[i]);
	}
	return NULL;
}

static PHP_MINIT_FUNCTION(salon)
{
	php_ws_exception_ce = register_class_Salon_Exception(spl_ce_RuntimeException);

	php_ws_server_ce = register_class_Salon_Server(zend_ce_countable);
	php_ws_server_ce->create_object = php_ws_server_create;
	memcpy(&php_ws_server_handlers, &std_object_handlers, sizeof(zend_object_handlers));
	php_ws_server_handlers.offset = XtOffsetOf(php_ws_server, std);
	php_ws_server_handlers.free_obj = php_ws_server_free;
	php_ws_server_handlers.get_gc = php_ws_server_get_gc;
	php_ws_server_handlers.clone_obj = NULL;
	php_ws_server_handlers.compare = zend_objects_not_comparable;

	php_ws_connection_ce = register_class_Salon_Connection();
	php_ws_connection_ce->create_object = php_ws_connection_create;
	memcpy(&php_ws_connection_handlers, &std_object_handlers, sizeof(zend_object_handlers));
	php_ws_connection_handlers.offset = XtOffsetOf(php_ws_connection, std);
	php_ws_connection_handlers.free_obj = php_ws_connection_free;
	php_ws_connection_handlers.get_gc = php_ws_connection_get_gc;
	php_ws_connection_handlers.get_constructor = php_ws_connection_get_constructor;
	php_ws_connection_handlers.clone_obj = NULL;
	php_ws_connection_handlers.compare = zend_objects_not_comparable;

	/* A Request is plain data; it only needs to be made by the server. */
	php_ws_request_ce = register_class_Salon_Request();
	php_ws_request_ce->create_object = php_ws_request_create;
	memcpy(&php_ws_request_handlers, &std_object_handlers, sizeof(zend_object_handlers));
	php_ws_request_handlers.get_constructor = php_ws_request_get_constructor;

	php_ws_response_ce = register_class_Salon_Response();
	php_ws_response_ce->create_object = php_ws_response_create;
	memcpy(&php_ws_response_handlers, &std_object_handlers, sizeof(zend_object_handlers));
	php_ws_response_handlers.offset = XtOffsetOf(php_ws_response, std);
	php_ws_response_handlers.free_obj = php_ws_response_free;
	php_ws_response_handlers.get_constructor = php_ws_response_get_constructor;
	php_ws_response_handlers.clone_obj = NULL;
	php_ws_response_handlers.compare = zend_objects_not_comparable;

	return SUCCESS;
}

static PHP_MINFO_FUNCTION(salon)
{
	php_info_print_table_start();
	php_info_print_table_header(2, "Salon WebSocket server", "enabled");
	php_info_print_table_row(2, "Version", PHP_SALON_VERSION);
	php_info_print_table_row(2, "OpenSSL", OpenSSL_version(OPENSSL_VERSION));
	php_info_print_table_row(2, "zlib", zlibVersion());
#ifdef HAVE_SYS_EPOLL_H
	php_info_print_table_row(2, "Event loop", "epoll");
#else
	php_info_print_table_row(2, "Event loop", "poll");
#endif
	char tls[128];
	snprintf(tls, sizeof(tls), "yes (wss://, %s)", OpenSSL_version(OPENSSL_VERSION));
	php_info_print_table_row(2, "TLS", tls);
	php_info_print_table_row(2, "permessage-deflate", "yes");
	php_ws_scale_minfo();
	php_info_print_table_end();
}

static const zend_module_dep salon_deps[] = {ZEND_MOD_REQUIRED("spl") ZEND_MOD_END};

zend_module_entry salon_module_entry = {
	STANDARD_MODULE_HEADER_EX,
	NULL,
	salon_deps,
	"salon",
	NULL,
	PHP_MINIT(salon),
	NULL,
	NULL,
	NULL,
	PHP_MINFO(salon),
	PHP_SALON_VERSION,
	STANDARD_MODULE_PROPERTIES,
};

#ifdef COMPILE_DL_SALON
ZEND_GET_MODULE(salon)
#endif
