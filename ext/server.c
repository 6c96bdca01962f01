/*
 * Salon\Server: options, handlers, the run loop, broadcast and timers, and
 * the core callbacks that turn connection events into PHP handler calls.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <math.h>
#include <signal.h>

#include "php.h"
#include "zend_exceptions.h"
#include "zend_interfaces.h"
#include "zend_smart_str.h"
#include "zend_signal.h"

#include "php_salon.h"

typedef struct php_ws_timer {
	php_ws_callback cb;
	bool repeat;
} php_ws_timer;

static const char *const php_ws_event_names[PHP_WS_EV_COUNT] = {
	"open", "message", "close", "error", "drain", "handshake", "start",
};

/* Lower-cased, as method names are looked up in the function table. */
static const char *const php_ws_event_methods[PHP_WS_EV_COUNT] = {
	"onopen", "onmessage", "onclose", "onerror", "ondrain", "onhandshake", "onstart",
};

#define PHP_WS_CHECK_INIT(srv)                                                                                         \
	do {                                                                                                               \
		if (UNEXPECTED(!(srv)->s)) {                                                                                   \
			zend_throw_error(NULL,                                                                                     \
							 "%s object is not initialized; did its constructor call "                                 \
							 "parent::__construct()?",                                                                 \
							 ZSTR_VAL((srv)->std.ce->name));                                                           \
			RETURN_THROWS();                                                                                           \
		}                                                                                                              \
	} while (0)

/* ---------------------------------------------------------------------
 * Options. One row per key of the $options array; a later feature (TLS,
 * compression) adds rows here. Values are typed strictly, as PHP itself
 * does for option arrays: an int option rejects "10".
 */
typedef enum {
	PHP_WS_OPT_PATH,    /* ?string, stored as const char * borrowed from the array */
	PHP_WS_OPT_SIZE,    /* int > 0, size_t */
	PHP_WS_OPT_BYTES0,  /* int >= 0, size_t */
	PHP_WS_OPT_COUNT,   /* int >= 0, uint32_t */
	PHP_WS_OPT_INT,     /* int > 0, int */
	PHP_WS_OPT_SECONDS, /* float >= 0 (int accepted), uint32_t milliseconds */
	PHP_WS_OPT_DEADLINE, /* float > 0: a PHP_WS_OPT_SECONDS that cannot be turned off */
	PHP_WS_OPT_BOOL,    /* bool, int */
	PHP_WS_OPT_CHOICE,  /* string among choices, int index */
	PHP_WS_OPT_LIST,    /* list of non-empty strings: const char ** at offset, size_t count at count_offset */
	PHP_WS_OPT_TLS,     /* ?array of TLS settings, ws_tls_config_t */
	PHP_WS_OPT_COMPRESSION, /* bool or array of settings, ws_compression_t */
} php_ws_opt_type;

typedef struct php_ws_option {
	const char *name;
	php_ws_opt_type type;
	size_t offset; /* in ws_config_t */
	const char *const *choices;
	size_t count_offset; /* PHP_WS_OPT_LIST */
	/* PHP_WS_OPT_LIST: checks one item, returns what it must be, or NULL. */
	const char *(*check)(const char *s, size_t len);
} php_ws_option;

static const char *php_ws_check_subprotocol(const char *s, size_t len)
{
	return ws_subprotocol_valid(s, len) ? NULL : "a token (RFC 9110: letters, digits and !#$%&'*+-.^_`|~)";
}

static const char *php_ws_check_proxy(const char *s, size_t len)
{
	return ws_trusted_proxy_valid(s, len) ? NULL : "an IP address or a CIDR block such as \"10.0.0.0/8\"";
}

static const char *const php_ws_buffer_full_choices[] = {"close", "drop", NULL};
/* In the order of WS_FORWARDED_* (ws.h). */
static const char *const php_ws_forwarded_choices[] = {"x-forwarded-for", "forwarded", "x-real-ip", NULL};

static const php_ws_option php_ws_options[] = {
#define PHP_WS_OPT(name, type, field) {name, type, offsetof(ws_config_t, field), NULL, 0, NULL}
	PHP_WS_OPT("document_root", PHP_WS_OPT_PATH, document_root),
	PHP_WS_OPT("serve_dotfiles", PHP_WS_OPT_BOOL, serve_dotfiles),
	PHP_WS_OPT("max_message_size", PHP_WS_OPT_SIZE, max_message_size),
	PHP_WS_OPT("max_fragments", PHP_WS_OPT_COUNT, max_fragments),
	PHP_WS_OPT("max_buffered", PHP_WS_OPT_SIZE, max_buffered),
	PHP_WS_OPT("send_high_water", PHP_WS_OPT_SIZE, send_high_water),
	PHP_WS_OPT("send_low_water", PHP_WS_OPT_BYTES0, send_low_water),
	{"on_buffer_full", PHP_WS_OPT_CHOICE, offsetof(ws_config_t, drop_when_full), php_ws_buffer_full_choices, 0, NULL},
	/* The slowloris bound: 0 would let a connection hold its slot forever
	 * by never finishing its head, so it is refused, not "off". */
	PHP_WS_OPT("handshake_timeout", PHP_WS_OPT_DEADLINE, handshake_timeout_ms),
	PHP_WS_OPT("close_timeout", PHP_WS_OPT_SECONDS, close_timeout_ms),
	PHP_WS_OPT("idle_timeout", PHP_WS_OPT_SECONDS, idle_timeout_ms),
	PHP_WS_OPT("max_connections", PHP_WS_OPT_COUNT, max_connections),
	PHP_WS_OPT("max_connections_per_ip", PHP_WS_OPT_COUNT, max_connections_per_ip),
	PHP_WS_OPT("backlog", PHP_WS_OPT_INT, backlog),
	PHP_WS_OPT("reuse_port", PHP_WS_OPT_BOOL, reuse_port),
	PHP_WS_OPT("shutdown_timeout", PHP_WS_OPT_SECONDS, shutdown_timeout_ms),
	PHP_WS_OPT("proxy_protocol", PHP_WS_OPT_BOOL, proxy_protocol),
	PHP_WS_OPT("metrics_path", PHP_WS_OPT_PATH, metrics_path),
#undef PHP_WS_OPT
#define PHP_WS_OPT_L(name, field, check) \
	{name, PHP_WS_OPT_LIST, offsetof(ws_config_t, field), NULL, offsetof(ws_config_t, num_##field), check}
	PHP_WS_OPT_L("allowed_origins", allowed_origins, NULL),
	PHP_WS_OPT_L("subprotocols", subprotocols, php_ws_check_subprotocol),
	PHP_WS_OPT_L("trusted_proxies", trusted_proxies, php_ws_check_proxy),
#undef PHP_WS_OPT_L
	{"forwarded_header", PHP_WS_OPT_CHOICE, offsetof(ws_config_t, forwarded_header), php_ws_forwarded_choices, 0, NULL},
	{"tls", PHP_WS_OPT_TLS, offsetof(ws_config_t, tls), NULL, 0, NULL},
	{"compression", PHP_WS_OPT_COMPRESSION, offsetof(ws_config_t, compression), NULL, 0, NULL},
};

/* The keys of the "compression" array (permessage-deflate, RFC 7692). */
typedef struct php_ws_compression_key {
	const char *name;
	bool is_bool;
	bool is_size;
	size_t offset; /* in ws_compression_t: int, or size_t when is_size */
	zend_long min, max;
} php_ws_compression_key;

static const php_ws_compression_key php_ws_compression_keys[] = {
	{"server_no_context_takeover", true, false, offsetof(ws_compression_t, server_no_context_takeover), 0, 1},
	{"client_no_context_takeover", true, false, offsetof(ws_compression_t, client_no_context_takeover), 0, 1},
	{"server_max_window_bits", false, false, offsetof(ws_compression_t, server_max_window_bits), 8, 15},
	{"client_max_window_bits", false, false, offsetof(ws_compression_t, client_max_window_bits), 8, 15},
	{"level", false, false, offsetof(ws_compression_t, level), 0, 9},
	{"memory_level", false, false, offsetof(ws_compression_t, memory_level), 1, 9},
	{"threshold", false, true, offsetof(ws_compression_t, threshold), 0, ZEND_LONG_MAX},
};

/* "compression": false (the default), true (the defaults of ws.h), or an
 * array of the keys above, which turns it on; unknown keys are rejected. */
static zend_result php_ws_compression_apply(ws_compression_t *z, zval *value)
{
	zend_string *key;
	zend_ulong index;
	zval *v;

	if (Z_TYPE_P(value) == IS_TRUE || Z_TYPE_P(value) == IS_FALSE) {
		z->enabled = Z_TYPE_P(value) == IS_TRUE;
		return SUCCESS;
	}
	if (Z_TYPE_P(value) != IS_ARRAY) {
		zend_argument_type_error(3, "option \"compression\" must be of type array|bool, %s given",
								 zend_zval_type_name(value));
		return FAILURE;
	}
	z->enabled = 1;
	ZEND_HASH_FOREACH_KEY_VAL(Z_ARRVAL_P(value), index, key, v) {
		const php_ws_compression_key *k = NULL;
		if (!key) {
			zend_argument_value_error(3, "option \"compression\" must only contain string keys, " ZEND_ULONG_FMT " given",
									  index);
			return FAILURE;
		}
		for (size_t i = 0; i < sizeof(php_ws_compression_keys) / sizeof(php_ws_compression_keys[0]); i++) {
			if (zend_string_equals_cstr(key, php_ws_compression_keys[i].name,
										strlen(php_ws_compression_keys[i].name))) {
				k = &php_ws_compression_keys[i];
				break;
			}
		}
		if (!k) {
			zend_argument_value_error(3, "option \"compression\" contains unknown key \"%s\"", ZSTR_VAL(key));
			return FAILURE;
		}
		ZVAL_DEREF(v);
		char *field = (char *)z + k->offset;
		if (k->is_bool) {
			if (Z_TYPE_P(v) != IS_TRUE && Z_TYPE_P(v) != IS_FALSE) {
				zend_argument_type_error(3, "option \"compression\" key \"%s\" must be of type bool, %s given", k->name,
										 zend_zval_type_name(v));
				return FAILURE;
			}
			*(int *)field = Z_TYPE_P(v) == IS_TRUE;
			continue;
		}
		if (Z_TYPE_P(v) != IS_LONG) {
			zend_argument_type_error(3, "option \"compression\" key \"%s\" must be of type int, %s given", k->name,
									 zend_zval_type_name(v));
			return FAILURE;
		}
		if (Z_LVAL_P(v) < k->min || Z_LVAL_P(v) > k->max) {
			zend_argument_value_error(3,
									  "option \"compression\" key \"%s\" must be between " ZEND_LONG_FMT
									  " and " ZEND_LONG_FMT,
									  k->name, k->min, k->max);
			return FAILURE;
		}
		if (k->is_size) {
			*(size_t *)field = (size_t)Z_LVAL_P(v);
		} else {
			*(int *)field = (int)Z_LVAL_P(v);
		}
	}
	ZEND_HASH_FOREACH_END();
	return SUCCESS;
}

/* The keys of the "tls" option; strings are borrowed from the array. */
typedef struct php_ws_tls_key {
	const char *name;
	size_t offset; /* in ws_tls_config_t */
	bool path;     /* a file name: non-empty */
} php_ws_tls_key;

static const php_ws_tls_key php_ws_tls_keys[] = {
	{"cert", offsetof(ws_tls_config_t, cert), true},
	{"key", offsetof(ws_tls_config_t, key), true},
	{"passphrase", offsetof(ws_tls_config_t, passphrase), false},
	{"ca", offsetof(ws_tls_config_t, ca), true},
	{"ciphers", offsetof(ws_tls_config_t, ciphers), true},
	{"min_version", offsetof(ws_tls_config_t, min_version), true},
};

static zend_result php_ws_tls_option_apply(ws_tls_config_t *tls, zval *value)
{
	zend_string *key;
	zend_ulong index;
	zval *v;

	memset(tls, 0, sizeof(*tls));
	if (Z_TYPE_P(value) == IS_NULL) {
		return SUCCESS;
	}
	if (Z_TYPE_P(value) != IS_ARRAY) {
		zend_argument_type_error(3, "option \"tls\" must be of type ?array, %s given", zend_zval_type_name(value));
		return FAILURE;
	}
	ZEND_HASH_FOREACH_KEY_VAL(Z_ARRVAL_P(value), index, key, v) {
		const php_ws_tls_key *k = NULL;
		if (!key) {
			zend_argument_value_error(3, "option \"tls\" must only contain string keys, " ZEND_ULONG_FMT " given",
									  index);
			return FAILURE;
		}
		for (size_t i = 0; i < sizeof(php_ws_tls_keys) / sizeof(php_ws_tls_keys[0]); i++) {
			if (zend_string_equals_cstr(key, php_ws_tls_keys[i].name, strlen(php_ws_tls_keys[i].name))) {
				k = &php_ws_tls_keys[i];
				break;
			}
		}
		if (!k) {
			zend_argument_value_error(3, "option \"tls\" contains unknown key \"%s\"", ZSTR_VAL(key));
			return FAILURE;
		}
		ZVAL_DEREF(v);
		if (Z_TYPE_P(v) == IS_NULL) {
			continue;
		}
		if (Z_TYPE_P(v) != IS_STRING) {
			zend_argument_type_error(3, "option \"tls\" key \"%s\" must be of type ?string, %s given", k->name,
									 zend_zval_type_name(v));
			return FAILURE;
		}
		if ((k->path && Z_STRLEN_P(v) == 0) || zend_str_has_nul_byte(Z_STR_P(v))) {
			zend_argument_value_error(3, "option \"tls\" key \"%s\" must be a non-empty string without null bytes",
									  k->name);
			return FAILURE;
		}
		*(const char **)((char *)tls + k->offset) = Z_STRVAL_P(v);
	}
	ZEND_HASH_FOREACH_END();
	if (!tls->cert) {
		zend_argument_value_error(3, "option \"tls\" must contain \"cert\" (a PEM certificate file)");
		return FAILURE;
	}
	if (tls->min_version && strcmp(tls->min_version, "TLSv1.2") != 0 && strcmp(tls->min_version, "TLSv1.3") != 0) {
		zend_argument_value_error(3, "option \"tls\" key \"min_version\" must be \"TLSv1.2\" or \"TLSv1.3\"");
		return FAILURE;
	}
	return SUCCESS;
}


/* The pointer arrays of list options, borrowed by the core until
 * ws_server_new() returned; the strings stay in the options array. */
typedef struct php_ws_lists {
	const char **v[8];
	int n;
} php_ws_lists;

static void php_ws_lists_free(php_ws_lists *l)
{
	for (int i = 0; i < l->n; i++) {
		efree(l->v[i]);
	}
	l->n = 0;
}

static zend_result php_ws_option_type_error(const php_ws_option *opt, const char *expected, zval *value)
{
	zend_argument_type_error(3, "option \"%s\" must be of type %s, %s given", opt->name, expected,
							 zend_zval_type_name(value));
	return FAILURE;
}

static zend_result php_ws_option_apply(ws_config_t *cfg, const php_ws_option *opt, zval *value, php_ws_lists *lists)
{
	char *field = (char *)cfg + opt->offset;

	ZVAL_DEREF(value);
	switch (opt->type) {
	case PHP_WS_OPT_PATH:
		if (Z_TYPE_P(value) == IS_NULL) {
			*(const char **)field = NULL;
			return SUCCESS;
		}
		if (Z_TYPE_P(value) != IS_STRING) {
			return php_ws_option_type_error(opt, "?string", value);
		}
		if (Z_STRLEN_P(value) == 0 || zend_str_has_nul_byte(Z_STR_P(value))) {
			zend_argument_value_error(3, "option \"%s\" must be a non-empty path without null bytes", opt->name);
			return FAILURE;
		}
		*(const char **)field = Z_STRVAL_P(value);
		return SUCCESS;
	case PHP_WS_OPT_SIZE:
	case PHP_WS_OPT_BYTES0:
	case PHP_WS_OPT_COUNT:
	case PHP_WS_OPT_INT: {
		if (Z_TYPE_P(value) != IS_LONG) {
			return php_ws_option_type_error(opt, "int", value);
		}
		zend_long v = Z_LVAL_P(value);
		zend_long min = opt->type == PHP_WS_OPT_COUNT || opt->type == PHP_WS_OPT_BYTES0 ? 0 : 1;
		zend_long max = opt->type == PHP_WS_OPT_SIZE || opt->type == PHP_WS_OPT_BYTES0 ? ZEND_LONG_MAX
						: opt->type == PHP_WS_OPT_INT ? INT_MAX
													  : UINT32_MAX;
		if (v < min || v > max) {
			zend_argument_value_error(3, "option \"%s\" must be between " ZEND_LONG_FMT " and " ZEND_LONG_FMT,
									  opt->name, min, max);
			return FAILURE;
		}
		if (opt->type == PHP_WS_OPT_SIZE || opt->type == PHP_WS_OPT_BYTES0) {
			*(size_t *)field = (size_t)v;
		} else if (opt->type == PHP_WS_OPT_COUNT) {
			*(uint32_t *)field = (uint32_t)v;
		} else {
			*(int *)field = (int)v;
		}
		return SUCCESS;
	}
	case PHP_WS_OPT_SECONDS:
	case PHP_WS_OPT_DEADLINE: {
		double seconds;
		if (Z_TYPE_P(value) == IS_DOUBLE) {
			seconds = Z_DVAL_P(value);
		} else if (Z_TYPE_P(value) == IS_LONG) {
			seconds = (double)Z_LVAL_P(value);
		} else {
			return php_ws_option_type_error(opt, "float", value);
		}
		/* The core counts milliseconds in 32 bits: about 49 days. */
		if (opt->type == PHP_WS_OPT_DEADLINE && !(seconds > 0.0 && seconds <= UINT32_MAX / 1000.0)) {
			zend_argument_value_error(3,
									  "option \"%s\" must be greater than 0 and at most %u seconds (it bounds how "
									  "long a client may take to complete its handshake; it cannot be turned off)",
									  opt->name, UINT32_MAX / 1000);
			return FAILURE;
		}
		if (!(seconds >= 0.0 && seconds <= UINT32_MAX / 1000.0)) {
			zend_argument_value_error(3, "option \"%s\" must be between 0 and %u seconds", opt->name,
									  UINT32_MAX / 1000);
			return FAILURE;
		}
		uint32_t ms = (uint32_t)llround(seconds * 1000.0);
		/* A positive timeout that rounds to 0 would disable it instead. */
		*(uint32_t *)field = ms == 0 && seconds > 0.0 ? 1 : ms;
		return SUCCESS;
	}
	case PHP_WS_OPT_BOOL:
		if (Z_TYPE_P(value) != IS_TRUE && Z_TYPE_P(value) != IS_FALSE) {
			return php_ws_option_type_error(opt, "bool", value);
		}
		*(int *)field = Z_TYPE_P(value) == IS_TRUE;
		return SUCCESS;
	case PHP_WS_OPT_CHOICE:
		if (Z_TYPE_P(value) != IS_STRING) {
			return php_ws_option_type_error(opt, "string", value);
		}
		for (int i = 0; opt->choices[i]; i++) {
			/* ASCII case-insensitive: "X-Real-IP" is "x-real-ip" */
			if (zend_binary_strcasecmp(Z_STRVAL_P(value), Z_STRLEN_P(value), opt->choices[i],
						   strlen(opt->choices[i])) == 0) {
				*(int *)field = i;
				return SUCCESS;
			}
		}
		{
			smart_str list = {0};
			for (int i = 0; opt->choices[i]; i++) {
				if (i > 0) {
					smart_str_appends(&list, opt->choices[i + 1] ? ", " : " or ");
				}
				smart_str_appendc(&list, '"');
				smart_str_appends(&list, opt->choices[i]);
				smart_str_appendc(&list, '"');
			}
			smart_str_0(&list);
			zend_argument_value_error(3, "option \"%s\" must be %s", opt->name, ZSTR_VAL(list.s));
			smart_str_free(&list);
		}
		return FAILURE;
	case PHP_WS_OPT_LIST: {
		if (Z_TYPE_P(value) != IS_ARRAY) {
			return php_ws_option_type_error(opt, "array", value);
		}
		HashTable *ht = Z_ARRVAL_P(value);
		uint32_t n = zend_hash_num_elements(ht), i = 0;
		if (n > 0 && !zend_array_is_list(ht)) {
			zend_argument_value_error(3, "option \"%s\" must be a list of strings", opt->name);
			return FAILURE;
		}
		const char **v = n ? safe_emalloc(n, sizeof(*v), 0) : NULL;
		zval *item;
		ZEND_HASH_FOREACH_VAL(ht, item) {
			ZVAL_DEREF(item);
			const char *why = NULL;
			if (Z_TYPE_P(item) != IS_STRING || Z_STRLEN_P(item) == 0 || zend_str_has_nul_byte(Z_STR_P(item))) {
				why = "a non-empty string without null bytes";
			} else if (opt->check) {
				why = opt->check(Z_STRVAL_P(item), Z_STRLEN_P(item));
			}
			if (why) {
				zend_argument_value_error(3, "option \"%s\" item %u must be %s", opt->name, i, why);
				if (v) {
					efree(v);
				}
				return FAILURE;
			}
			v[i++] = Z_STRVAL_P(item);
		}
		ZEND_HASH_FOREACH_END();
		if (v) {
			ZEND_ASSERT(lists->n < (int)(sizeof(lists->v) / sizeof(lists->v[0])));
			lists->v[lists->n++] = v;
		}
		*(const char *const **)field = v;
		*(size_t *)((char *)cfg + opt->count_offset) = n;
		return SUCCESS;
	}
	case PHP_WS_OPT_TLS:
		return php_ws_tls_option_apply((ws_tls_config_t *)field, value);
	case PHP_WS_OPT_COMPRESSION:
		return php_ws_compression_apply((ws_compression_t *)field, value);
	}
	return FAILURE;
}

static zend_result php_ws_options_apply(php_ws_server *srv, ws_config_t *cfg, HashTable *options, php_ws_lists *lists)
{
	zend_string *key;
	zend_ulong index;
	zval *value;

	ZEND_HASH_FOREACH_KEY_VAL(options, index, key, value) {
		const php_ws_option *opt = NULL;
		if (!key) {
			zend_argument_value_error(3, "must only contain string keys, " ZEND_ULONG_FMT " given", index);
			return FAILURE;
		}
		int scale = php_ws_scale_option(srv, key, value);
		if (scale != 0) {
			if (scale < 0) {
				return FAILURE;
			}
			continue;
		}
		for (size_t i = 0; i < sizeof(php_ws_options) / sizeof(php_ws_options[0]); i++) {
			if (zend_string_equals_cstr(key, php_ws_options[i].name, strlen(php_ws_options[i].name))) {
				opt = &php_ws_options[i];
				break;
			}
		}
		if (!opt) {
			zend_argument_value_error(3, "contains unknown option \"%s\"", ZSTR_VAL(key));
			return FAILURE;
		}
		if (php_ws_option_apply(cfg, opt, value, lists) == FAILURE) {
			return FAILURE;
		}
	}
	ZEND_HASH_FOREACH_END();
	return SUCCESS;
}

/* ---------------------------------------------------------------------
 * Dispatch.
 */

/* Sets active[ev]: the handler given to on(), else a method onXxx() that a
 * user class defined (the base class declares none, so a subclass may give
 * it any signature). */
static void php_ws_server_resolve(php_ws_server *srv, php_ws_event ev)
{
	zend_class_entry *ce = srv->std.ce;
	php_ws_callback *m = &srv->methods[ev];

	if (Z_TYPE(srv->handlers[ev].callable) != IS_UNDEF) {
		srv->active[ev] = &srv->handlers[ev];
		return;
	}
	srv->active[ev] = NULL;
	if (ce == php_ws_server_ce) {
		return;
	}
	const char *name = php_ws_event_methods[ev];
	zend_function *fn = zend_hash_str_find_ptr(&ce->function_table, name, strlen(name));
	if (!fn || fn->type != ZEND_USER_FUNCTION || (fn->common.fn_flags & ZEND_ACC_ABSTRACT)) {
		return;
	}
	php_ws_callback_init(m);
	m->fcc.function_handler = fn;
	m->fcc.calling_scope = fn->common.scope;
	m->fcc.called_scope = ce;
	m->fcc.object = (fn->common.fn_flags & ZEND_ACC_STATIC) ? NULL : &srv->std;
	srv->active[ev] = m;
}

/* ---------------------------------------------------------------------
 * Handler methods that cannot work. A subclass's onMesage(), Workerman's
 * onConnect() or Ratchet's onError(ConnectionInterface $c, \Exception $e)
 * would be silently ignored (or fail with a TypeError at the first error):
 * the constructor warns once per such method instead.
 */

/* What dispatch passes, argument by argument. */
typedef enum {
	PHP_WS_ARG_CONN,
	PHP_WS_ARG_CONN_OR_NULL,
	PHP_WS_ARG_STRING,
	PHP_WS_ARG_INT,
	PHP_WS_ARG_BOOL,
	PHP_WS_ARG_THROWABLE,
	PHP_WS_ARG_REQUEST,
	PHP_WS_ARG_RESPONSE,
	PHP_WS_ARG_SERVER,
} php_ws_arg_kind;

typedef struct php_ws_handler_sig {
	const char *method; /* as documented */
	uint32_t argc;
	php_ws_arg_kind args[3];
	const char *call; /* how it is called */
} php_ws_handler_sig;

/* In the order of php_ws_event. */
static const php_ws_handler_sig php_ws_handler_sigs[PHP_WS_EV_COUNT] = {
	{"onOpen", 1, {PHP_WS_ARG_CONN}, "onOpen(Salon\\Connection $c)"},
	{"onMessage", 3, {PHP_WS_ARG_CONN, PHP_WS_ARG_STRING, PHP_WS_ARG_BOOL},
	 "onMessage(Salon\\Connection $c, string $data, bool $binary)"},
	{"onClose", 3, {PHP_WS_ARG_CONN, PHP_WS_ARG_INT, PHP_WS_ARG_STRING},
	 "onClose(Salon\\Connection $c, int $code, string $reason)"},
	{"onError", 2, {PHP_WS_ARG_CONN_OR_NULL, PHP_WS_ARG_THROWABLE}, "onError(?Salon\\Connection $c, Throwable $e)"},
	{"onDrain", 1, {PHP_WS_ARG_CONN}, "onDrain(Salon\\Connection $c)"},
	{"onHandshake", 2, {PHP_WS_ARG_REQUEST, PHP_WS_ARG_RESPONSE},
	 "onHandshake(Salon\\Request $r, Salon\\Response $res)"},
	{"onStart", 1, {PHP_WS_ARG_SERVER}, "onStart(Salon\\Server $s)"},
};

#define PHP_WS_HANDLER_LIST "onOpen, onMessage, onClose, onError, onDrain, onHandshake, onStart"

/* The other servers' names for the same events (lower-cased). */
static const struct {
	const char *name;
	php_ws_event ev;
} php_ws_handler_aliases[] = {
	{"onconnect", PHP_WS_EV_OPEN},         /* Workerman, Swoole */
	{"onwebsocketconnect", PHP_WS_EV_HANDSHAKE}, /* Workerman */
	{"ondisconnect", PHP_WS_EV_CLOSE},
	{"onbufferdrain", PHP_WS_EV_DRAIN},    /* Workerman */
	{"onworkerstart", PHP_WS_EV_START},    /* Workerman, Swoole */
};

/* Levenshtein distance of two short ASCII names, capped at 3. */
static size_t php_ws_name_distance(const char *a, size_t al, const char *b, size_t bl)
{
	size_t row[32];

	if (al >= 32 || bl >= 32) {
		return 3;
	}
	for (size_t j = 0; j <= bl; j++) {
		row[j] = j;
	}
	for (size_t i = 1; i <= al; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= bl; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best) {
				best = up + 1;
			}
			if (row[j - 1] + 1 < best) {
				best = row[j - 1] + 1;
			}
			row[j] = best;
			diag = up;
		}
	}
	return row[bl] > 3 ? 3 : row[bl];
}

/* The handler an unknown onXxx() was probably meant to be, or -1. */
static int php_ws_handler_guess(zend_string *lcname)
{
	for (size_t i = 0; i < sizeof(php_ws_handler_aliases) / sizeof(php_ws_handler_aliases[0]); i++) {
		if (zend_string_equals_cstr(lcname, php_ws_handler_aliases[i].name, strlen(php_ws_handler_aliases[i].name))) {
			return (int)php_ws_handler_aliases[i].ev;
		}
	}
	int best = -1;
	size_t best_d = 3;
	for (int ev = 0; ev < PHP_WS_EV_COUNT; ev++) {
		const char *m = php_ws_event_methods[ev];
		size_t d = php_ws_name_distance(ZSTR_VAL(lcname), ZSTR_LEN(lcname), m, strlen(m));
		if (d < best_d) {
			best_d = d;
			best = ev;
		}
	}
	return best;
}

/* Whether a class named in a parameter type takes the object dispatch
 * passes. Classes are not autoloaded here: one that is not loaded cannot be
 * a parent of a Salon class. */
static bool php_ws_class_accepts(zend_string *name, php_ws_arg_kind kind, zend_class_entry *server_ce,
								 zend_class_entry *scope)
{
	zend_class_entry *ce;

	if (zend_string_equals_literal_ci(name, "self")) {
		ce = scope;
	} else if (zend_string_equals_literal_ci(name, "parent")) {
		ce = scope ? scope->parent : NULL;
	} else {
		ce = zend_lookup_class_ex(name, NULL, ZEND_FETCH_CLASS_NO_AUTOLOAD);
	}
	if (!ce) {
		return false;
	}
	switch (kind) {
	case PHP_WS_ARG_CONN:
	case PHP_WS_ARG_CONN_OR_NULL:
		return instanceof_function(php_ws_connection_ce, ce);
	case PHP_WS_ARG_REQUEST:
		return instanceof_function(php_ws_request_ce, ce);
	case PHP_WS_ARG_RESPONSE:
		return instanceof_function(php_ws_response_ce, ce);
	case PHP_WS_ARG_SERVER:
		return instanceof_function(server_ce, ce);
	case PHP_WS_ARG_THROWABLE:
		/* Any Throwable may come: \Exception alone misses every \Error. */
		return ce == zend_ce_throwable;
	default:
		return false;
	}
}

/* A (possibly union, intersection or DNF) type's class part. */
static bool php_ws_type_names_accept(const zend_type *t, php_ws_arg_kind kind, zend_class_entry *server_ce,
									 zend_class_entry *scope)
{
	if (ZEND_TYPE_HAS_LIST(*t)) {
		bool intersection = ZEND_TYPE_IS_INTERSECTION(*t);
		const zend_type *e;
		ZEND_TYPE_LIST_FOREACH(ZEND_TYPE_LIST(*t), e) {
			bool ok = php_ws_type_names_accept(e, kind, server_ce, scope);
			if (ok != intersection) {
				return ok;
			}
		}
		ZEND_TYPE_LIST_FOREACH_END();
		return intersection;
	}
	return ZEND_TYPE_HAS_NAME(*t) && php_ws_class_accepts(ZEND_TYPE_NAME(*t), kind, server_ce, scope);
}

/* Whether a parameter of type t takes what dispatch passes. Scalars are
 * passed in coercive mode, so any scalar type will do for them. */
static bool php_ws_type_accepts(zend_type t, php_ws_arg_kind kind, zend_class_entry *server_ce,
								zend_class_entry *scope)
{
	uint32_t mask = ZEND_TYPE_PURE_MASK(t);

	if (!ZEND_TYPE_IS_SET(t) || (mask & MAY_BE_ANY) == MAY_BE_ANY) {
		return true;
	}
	switch (kind) {
	case PHP_WS_ARG_STRING:
	case PHP_WS_ARG_INT:
	case PHP_WS_ARG_BOOL:
		return (mask & (MAY_BE_STRING | MAY_BE_LONG | MAY_BE_DOUBLE | MAY_BE_BOOL)) != 0;
	default:
		return (mask & MAY_BE_OBJECT) || php_ws_type_names_accept(&t, kind, server_ce, scope);
	}
}

static const char *php_ws_arg_kind_name(php_ws_arg_kind kind)
{
	switch (kind) {
	case PHP_WS_ARG_CONN:
	case PHP_WS_ARG_CONN_OR_NULL:
		return "Salon\\Connection";
	case PHP_WS_ARG_STRING:
		return "string";
	case PHP_WS_ARG_INT:
		return "int";
	case PHP_WS_ARG_BOOL:
		return "bool";
	case PHP_WS_ARG_THROWABLE:
		return "Throwable";
	case PHP_WS_ARG_REQUEST:
		return "Salon\\Request";
	case PHP_WS_ARG_RESPONSE:
		return "Salon\\Response";
	case PHP_WS_ARG_SERVER:
		return "Salon\\Server";
	}
	return "";
}

/* Checks one known handler method's parameters against what dispatch
 * passes; warns at the first that cannot work. */
static void php_ws_check_handler_sig(zend_function *fn, const php_ws_handler_sig *sig, zend_class_entry *server_ce)
{
	const char *cls = ZSTR_VAL(fn->common.scope->name);

	if (fn->common.required_num_args > sig->argc) {
		php_error_docref(NULL, E_WARNING, "%s::%s() requires %u arguments; the handler is called as %s", cls,
						 ZSTR_VAL(fn->common.function_name), fn->common.required_num_args, sig->call);
		return;
	}
	uint32_t n = fn->common.num_args < sig->argc ? fn->common.num_args : sig->argc;
	for (uint32_t i = 0; i < n; i++) {
		zend_arg_info *ai = &fn->common.arg_info[i];
		php_ws_arg_kind kind = sig->args[i];
		bool ok = php_ws_type_accepts(ai->type, kind, server_ce, fn->common.scope);
		bool null_ok = kind != PHP_WS_ARG_CONN_OR_NULL || !ZEND_TYPE_IS_SET(ai->type) || ZEND_TYPE_ALLOW_NULL(ai->type);
		if (ok && null_ok) {
			continue;
		}
		zend_string *type = zend_type_to_string(ai->type);
		if (!ok) {
			php_error_docref(NULL, E_WARNING,
							 "%s::%s(): parameter #%u ($%s) of type %s does not accept the %s%s Salon passes; the "
							 "handler is called as %s",
							 cls, ZSTR_VAL(fn->common.function_name), i + 1, ZSTR_VAL(ai->name), ZSTR_VAL(type),
							 kind == PHP_WS_ARG_CONN_OR_NULL ? "?" : "", php_ws_arg_kind_name(kind), sig->call);
		} else {
			php_error_docref(NULL, E_WARNING,
							 "%s::%s(): parameter #%u ($%s) of type %s does not accept null, which Salon passes for "
							 "errors outside a connection (timers, the handshake handler); the handler is called "
							 "as %s",
							 cls, ZSTR_VAL(fn->common.function_name), i + 1, ZSTR_VAL(ai->name), ZSTR_VAL(type),
							 sig->call);
		}
		zend_string_release(type);
		return;
	}
}

/* At construction: one E_WARNING per method of a user subclass that looks
 * like a handler ("on" + an upper-case letter) but is none, or is one whose
 * parameters cannot take what the server passes. */
static void php_ws_server_check_methods(php_ws_server *srv)
{
	zend_class_entry *ce = srv->std.ce;
	zend_string *lcname;
	zend_function *fn;

	if (ce == php_ws_server_ce) {
		return;
	}
	ZEND_HASH_FOREACH_STR_KEY_PTR(&ce->function_table, lcname, fn) {
		if (!lcname || fn->type != ZEND_USER_FUNCTION) {
			continue;
		}
		const char *name = ZSTR_VAL(fn->common.function_name);
		if (ZSTR_LEN(fn->common.function_name) < 3 || name[0] != 'o' || name[1] != 'n' || name[2] < 'A' ||
			name[2] > 'Z') {
			continue;
		}
		int known = -1;
		for (int ev = 0; ev < PHP_WS_EV_COUNT; ev++) {
			if (zend_string_equals_cstr(lcname, php_ws_event_methods[ev], strlen(php_ws_event_methods[ev]))) {
				known = ev;
				break;
			}
		}
		if (known >= 0) {
			php_ws_check_handler_sig(fn, &php_ws_handler_sigs[known], ce);
			continue;
		}
		int guess = php_ws_handler_guess(lcname);
		char hint[64] = "";
		if (guess >= 0) {
			snprintf(hint, sizeof(hint), " (did you mean %s()?)", php_ws_handler_sigs[guess].method);
		}
		php_error_docref(NULL, E_WARNING,
						 "%s::%s() is not a Salon handler and is never called%s; the handlers are " PHP_WS_HANDLER_LIST,
						 ZSTR_VAL(fn->common.scope->name), name, hint);
	}
	ZEND_HASH_FOREACH_END();
}

static void php_ws_write_uncaught(zend_object *ex, php_ws_connection *conn)
{
	zend_class_entry *base = zend_get_exception_base(ex);
	zval rv;
	zend_string *message, *file;
	zend_long line;

	message = zval_get_string(zend_read_property_ex(base, ex, ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv));
	file = zval_get_string(zend_read_property_ex(base, ex, ZSTR_KNOWN(ZEND_STR_FILE), 1, &rv));
	line = zval_get_long(zend_read_property_ex(base, ex, ZSTR_KNOWN(ZEND_STR_LINE), 1, &rv));
	if (conn) {
		fprintf(stderr, "Salon: uncaught %s: %s in %s:" ZEND_LONG_FMT " (connection #%" PRIu64 ")\n",
				ZSTR_VAL(ex->ce->name), ZSTR_VAL(message), ZSTR_VAL(file), line, conn->id);
	} else {
		fprintf(stderr, "Salon: uncaught %s: %s in %s:" ZEND_LONG_FMT "\n", ZSTR_VAL(ex->ce->name), ZSTR_VAL(message),
				ZSTR_VAL(file), line);
	}
	fflush(stderr);
	zend_string_release(message);
	zend_string_release(file);
}

static bool php_ws_is_exit(zend_object *ex)
{
	return zend_is_unwind_exit(ex) || zend_is_graceful_exit(ex);
}

/* Called with EG(exception) set after a handler returned. exit() is left
 * pending and stops the loop; anything else goes to the error handler, or
 * to STDERR with the connection closed 1011. It is never swallowed and
 * never escapes run(). */
static void php_ws_server_handle_exception(php_ws_server *srv, php_ws_connection *conn)
{
	zend_object *ex = EG(exception);

	if (php_ws_is_exit(ex)) {
		srv->unwinding = true;
		ws_server_stop(srv->s);
		return;
	}
	GC_ADDREF(ex);
	zend_clear_exception();

	php_ws_callback *eh = srv->active[PHP_WS_EV_ERROR];
	if (eh && !srv->in_error_handler) {
		zval args[2], retval;
		if (conn) {
			ZVAL_OBJ(&args[0], &conn->std);
		} else {
			ZVAL_NULL(&args[0]);
		}
		ZVAL_OBJ(&args[1], ex);
		srv->in_error_handler = true;
		bool ok = php_ws_callback_call(eh, &retval, 2, args);
		srv->in_error_handler = false;
		zval_ptr_dtor(&retval);
		if (!ok) {
			srv->bailout = true;
			ws_server_stop(srv->s);
			OBJ_RELEASE(ex);
			return;
		}
		if (!EG(exception)) {
			OBJ_RELEASE(ex);
			return;
		}
		/* The error handler threw: that one is uncaught. */
		OBJ_RELEASE(ex);
		ex = EG(exception);
		if (php_ws_is_exit(ex)) {
			srv->unwinding = true;
			ws_server_stop(srv->s);
			return;
		}
		GC_ADDREF(ex);
		zend_clear_exception();
	}
	php_ws_write_uncaught(ex, conn);
	OBJ_RELEASE(ex);
	if (conn && conn->c && ws_conn_is_open(conn->c)) {
		ws_conn_close(conn->c, WS_CLOSE_INTERNAL, "", 0);
	}
}

/* Calls the handler of ev, if any, and deals with what it threw. With ret,
 * the handler's return value is stored there (UNDEF when no handler ran or
 * it threw); the caller releases it. Returns whether a handler ran and
 * returned normally. */
static bool php_ws_server_dispatch_ret(php_ws_server *srv, php_ws_event ev, php_ws_connection *conn, uint32_t argc,
									   zval *argv, zval *ret)
{
	php_ws_callback *h = srv->active[ev];
	zval retval;
	bool ok = false;

	if (ret) {
		ZVAL_UNDEF(ret);
	}
	if (!h || srv->unwinding || srv->bailout) {
		return false;
	}
	/* The handler may get the connection closed at once (a send() over
	 * max_buffered), which takes it out of the table: keep it alive until
	 * its exception, if any, has been dealt with. */
	if (conn) {
		GC_ADDREF(&conn->std);
	}
	if (!php_ws_callback_call(h, &retval, argc, argv)) {
		srv->bailout = true;
		ws_server_stop(srv->s);
	} else if (EG(exception)) {
		zval_ptr_dtor(&retval);
		php_ws_server_handle_exception(srv, conn);
	} else {
		ok = true;
		if (ret) {
			ZVAL_COPY_VALUE(ret, &retval);
		} else {
			zval_ptr_dtor(&retval);
		}
	}
	/* After a fatal error no PHP code may run, not even a destructor that
	 * releasing the last reference would call: leave it to the shutdown. */
	if (conn && !srv->bailout) {
		OBJ_RELEASE(&conn->std);
	}
	return ok;
}

static void php_ws_server_dispatch(php_ws_server *srv, php_ws_event ev, php_ws_connection *conn, uint32_t argc,
								   zval *argv)
{
	php_ws_server_dispatch_ret(srv, ev, conn, argc, argv, NULL);
}

/* The Connection object of an open core connection, made the first time PHP
 * needs it (a handler to call, connections(), connection($id)): an idle
 * connection no handler has seen costs no PHP memory. Once made, the object
 * stays (srv->conns holds it) until the close handler returned, so a
 * handler always gets the same object for the same connection. */
php_ws_connection *php_ws_conn_get(php_ws_server *srv, ws_conn_t *c)
{
	zend_object *obj = ws_conn_user_data(c);
	if (obj) {
		return php_ws_connection_from_obj(obj);
	}
	zval zconn;
	php_ws_connection_open(&zconn, srv, c);
	/* The table's reference keeps the object (and so the user's $c->data)
	 * alive from here until the close handler returned. */
	zend_hash_index_update(&srv->conns, (zend_ulong)ws_conn_id(c), &zconn);
	return Z_WS_CONNECTION_P(&zconn);
}

static bool php_ws_wants(php_ws_server *srv, php_ws_event ev)
{
	return srv->active[ev] && !srv->unwinding && !srv->bailout;
}

static void php_ws_on_open(ws_conn_t *c, void *user_data)
{
	php_ws_server *srv = user_data;
	php_ws_connection *conn = NULL;

	srv->nconns++;
	if (Z_TYPE(srv->handshake_request) != IS_UNDEF) {
		/* on_open follows the accepted handshake at once: the Request the
		 * handler saw becomes the Connection's request(). */
		if (srv->handshake_id == ws_conn_id(c)) {
			conn = php_ws_conn_get(srv, c);
			conn->request = Z_OBJ(srv->handshake_request);
			/* What the handler computed (the user's row) goes with the
			 * connection. */
			zval *data = OBJ_PROP_NUM(conn->request, PHP_WS_REQ_PROP_DATA);
			if (Z_TYPE_P(data) != IS_UNDEF && Z_TYPE_P(data) != IS_NULL) {
				zval *dst = OBJ_PROP_NUM(&conn->std, PHP_WS_CONN_PROP_DATA);
				zval_ptr_dtor(dst);
				ZVAL_COPY_DEREF(dst, data);
			}
		} else {
			zval_ptr_dtor(&srv->handshake_request);
		}
		ZVAL_UNDEF(&srv->handshake_request);
	}
	if (php_ws_wants(srv, PHP_WS_EV_OPEN)) {
		zval arg;
		conn = php_ws_conn_get(srv, c);
		ZVAL_OBJ(&arg, &conn->std);
		php_ws_server_dispatch(srv, PHP_WS_EV_OPEN, conn, 1, &arg);
	}
}

static void php_ws_on_message(ws_conn_t *c, const uint8_t *data, size_t len, int binary, void *user_data)
{
	php_ws_server *srv = user_data;
	zval args[3];

	if (!php_ws_wants(srv, PHP_WS_EV_MESSAGE)) {
		return;
	}
	php_ws_connection *conn = php_ws_conn_get(srv, c);
	/* data is the core's buffer, borrowed for this call: copy it once. */
	ZVAL_OBJ(&args[0], &conn->std);
	ZVAL_STR(&args[1], zend_string_init((const char *)data, len, 0));
	ZVAL_BOOL(&args[2], binary);
	php_ws_server_dispatch(srv, PHP_WS_EV_MESSAGE, conn, 3, args);
	zval_ptr_dtor(&args[1]);
}

static void php_ws_on_close(ws_conn_t *c, uint16_t code, const char *reason, size_t reason_len, void *user_data)
{
	php_ws_server *srv = user_data;
	zval args[3];

	if (!ws_conn_user_data(c) && !php_ws_wants(srv, PHP_WS_EV_CLOSE)) {
		srv->nconns--;
		return; /* PHP never saw it and has nothing to run */
	}
	php_ws_connection *conn = php_ws_conn_get(srv, c);
	/* The core has already taken it out of the open connections (rooms,
	 * broadcasts, stats()): count(), connections() and connection($id)
	 * leave it out too, so that a user list built in the close handler is
	 * right. The table's reference becomes ours until the handler
	 * returned. */
	GC_ADDREF(&conn->std);
	zend_hash_index_del(&srv->conns, (zend_ulong)conn->id);
	srv->nconns--;
	ZVAL_OBJ(&args[0], &conn->std);
	ZVAL_LONG(&args[1], code);
	ZVAL_STRINGL(&args[2], reason, reason_len);
	php_ws_server_dispatch(srv, PHP_WS_EV_CLOSE, conn, 3, args);
	zval_ptr_dtor(&args[2]);

	/* ws_conn_t is only valid until this callback returns. */
	php_ws_connection_detach(conn, true);
	ws_conn_set_user_data(c, NULL);
	/* May free the Connection; the Server outlives it (run() holds it).
	 * After a fatal error no PHP code may run (a destructor of $c->data):
	 * the shutdown frees it. */
	if (!srv->bailout) {
		OBJ_RELEASE(&conn->std);
	}
}

static void php_ws_on_drain(ws_conn_t *c, void *user_data)
{
	php_ws_server *srv = user_data;
	zval arg;

	if (!php_ws_wants(srv, PHP_WS_EV_DRAIN)) {
		return;
	}
	php_ws_connection *conn = php_ws_conn_get(srv, c);
	ZVAL_OBJ(&arg, &conn->std);
	php_ws_server_dispatch(srv, PHP_WS_EV_DRAIN, conn, 1, &arg);
}

/* Before the 101: the handler's verdict, and what it added to the answer
 * through its Response. true accepts (101 with the Response's headers); no
 * return value accepts too, unless status() was set, which rejects with it;
 * false rejects with the status set, or 403; an int in 300-599 rejects with
 * that status. A rejection carries the Response's headers and body. A
 * handler that throws, or returns anything else, or accepts with a body or
 * a status set, rejects with 500 (no header of its own); the exception (or
 * a TypeError/ValueError saying what was wrong) goes to onError. */
static int php_ws_handshake_verdict(php_ws_server *srv, zval *ret, php_ws_response *res)
{
	switch (Z_TYPE_P(ret)) {
	case IS_TRUE:
		if (res->status) {
			zend_value_error("The handshake handler accepted (returned true) but set status " ZEND_LONG_FMT
							 " with Response::status(): return false or nothing to reject with it",
							 res->status);
			return -1;
		}
		ZEND_FALLTHROUGH;
	case IS_NULL:
		if (!res->status && res->body) {
			zend_value_error("The handshake handler accepted (returned %s) but set a body with Response::body(): a body "
							 "can only go with a rejection",
							 Z_TYPE_P(ret) == IS_TRUE ? "true" : "nothing");
			return -1;
		}
		return (int)res->status;
	case IS_FALSE:
		return res->status ? (int)res->status : 403;
	case IS_LONG:
		if (Z_LVAL_P(ret) >= 300 && Z_LVAL_P(ret) <= 599) {
			return (int)Z_LVAL_P(ret);
		}
		zend_value_error("The handshake handler must return true, false or an HTTP status between 300 and 599, "
						 ZEND_LONG_FMT " returned",
						 Z_LVAL_P(ret));
		return -1;
	default:
		zend_type_error("The handshake handler must return bool, int or nothing, %s returned",
						zend_zval_type_name(ret));
		return -1;
	}
}

static int php_ws_on_handshake(ws_conn_t *c, const ws_request_t *req, void *user_data)
{
	php_ws_server *srv = user_data;
	zval args[2], ret;

	if (!srv->active[PHP_WS_EV_HANDSHAKE] || srv->unwinding || srv->bailout) {
		return srv->unwinding || srv->bailout ? 503 : 0;
	}
	if (!req) {
		return 500;
	}
	php_ws_request_build(&args[0], req, ws_conn_remote(c));
	object_init_ex(&args[1], php_ws_response_ce);
	if (!php_ws_server_dispatch_ret(srv, PHP_WS_EV_HANDSHAKE, NULL, 2, args, &ret)) {
		zval_ptr_dtor(&args[0]);
		zval_ptr_dtor(&args[1]);
		return 500;
	}
	php_ws_response *res = Z_WS_RESPONSE_P(&args[1]);
	int verdict = php_ws_handshake_verdict(srv, &ret, res);
	zval_ptr_dtor(&ret);
	if (verdict < 0) {
		php_ws_server_handle_exception(srv, NULL);
		verdict = 500;
	} else {
		/* The core checks them again; only memory can fail here. */
		zend_string *name;
		zval *zv;
		name = NULL;
		if (res->headers) {
			ZEND_HASH_FOREACH_VAL(res->headers, zv) {
				if (!name) {
					name = Z_STR_P(zv);
					continue;
				}
				if (ws_conn_response_header(c, ZSTR_VAL(name), ZSTR_LEN(name), Z_STRVAL_P(zv), Z_STRLEN_P(zv)) != 0) {
					verdict = 500;
				}
				name = NULL;
			}
			ZEND_HASH_FOREACH_END();
		}
		if (verdict != 0 && res->body &&
			ws_conn_response_body(c, (const uint8_t *)ZSTR_VAL(res->body), ZSTR_LEN(res->body)) != 0) {
			verdict = 500;
		}
	}
	zval_ptr_dtor(&args[1]);
	if (verdict == 0) {
		zval_ptr_dtor(&srv->handshake_request);
		ZVAL_COPY_VALUE(&srv->handshake_request, &args[0]);
		srv->handshake_id = ws_conn_id(c);
	} else {
		zval_ptr_dtor(&args[0]);
	}
	return verdict;
}

static const ws_callbacks_t php_ws_callbacks = {
	.on_handshake = php_ws_on_handshake,
	.on_open = php_ws_on_open,
	.on_message = php_ws_on_message,
	.on_close = php_ws_on_close,
	.on_drain = php_ws_on_drain,
};

/* ---------------------------------------------------------------------
 * Timers.
 */

static void php_ws_timer_free(zval *zv)
{
	php_ws_timer *t = Z_PTR_P(zv);
	php_ws_callback_dtor(&t->cb);
	efree(t);
}

static void php_ws_on_timer(ws_server_t *s, uint64_t id, void *arg)
{
	php_ws_server *srv = ws_server_user_data(s);
	php_ws_timer *t = arg;
	php_ws_callback cb;

	if (srv->unwinding || srv->bailout) {
		return;
	}
	/* The callback may cancel its own timer, which frees t: call a copy.
	 * A one-shot timer is done once it fired (the core drops it too). */
	ZVAL_COPY(&cb.callable, &t->cb.callable);
	cb.fcc = t->cb.fcc;
	if (!t->repeat) {
		zend_hash_index_del(&srv->timers, (zend_ulong)id);
	}
	zval retval;
	if (!php_ws_callback_call(&cb, &retval, 0, NULL)) {
		srv->bailout = true;
		ws_server_stop(srv->s);
	} else {
		zval_ptr_dtor(&retval);
		if (EG(exception)) {
			php_ws_server_handle_exception(srv, NULL);
		}
	}
	zval_ptr_dtor(&cb.callable);
}

static void php_ws_server_add_timer(INTERNAL_FUNCTION_PARAMETERS, bool repeat)
{
	php_ws_server *srv = Z_WS_SERVER_P(ZEND_THIS);
	double seconds;
	zend_fcall_info fci;
	zend_fcall_info_cache fcc;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_DOUBLE(seconds)
		Z_PARAM_FUNC(fci, fcc)
	ZEND_PARSE_PARAMETERS_END();

	PHP_WS_CHECK_INIT(srv);
	/* Also rejects NaN. A repeating timer needs a period. */
	if (repeat ? !(seconds > 0.0 && seconds <= INT32_MAX) : !(seconds >= 0.0 && seconds <= INT32_MAX)) {
		zend_argument_value_error(1, repeat ? "must be greater than 0 and at most %d" : "must be between 0 and %d",
								  INT32_MAX);
		RETURN_THROWS();
	}
	uint64_t ms = (uint64_t)llround(seconds * 1000.0);
	if (ms == 0 && seconds > 0.0) {
		ms = 1;
	}

	php_ws_timer *t = emalloc(sizeof(*t));
	php_ws_callback_init(&t->cb);
	php_ws_callback_set(&t->cb, &fci, &fcc);
	t->repeat = repeat;
	uint64_t id = ws_server_timer_add(srv->s, ms, repeat ? ms : 0, php_ws_on_timer, t);
	if (id == 0) {
		php_ws_callback_dtor(&t->cb);
		efree(t);
		zend_throw_exception(php_ws_exception_ce, "Could not add a timer: out of memory", 0);
		RETURN_THROWS();
	}
	zend_hash_index_update_ptr(&srv->timers, (zend_ulong)id, t);
	RETURN_LONG((zend_long)id);
}

/* ---------------------------------------------------------------------
 * Object handlers.
 */

zend_object *php_ws_server_create(zend_class_entry *ce)
{
	php_ws_server *srv = zend_object_alloc(sizeof(php_ws_server), ce);

	zend_object_std_init(&srv->std, ce);
	object_properties_init(&srv->std, ce);
	srv->std.handlers = &php_ws_server_handlers;
	zend_hash_init(&srv->conns, 0, NULL, ZVAL_PTR_DTOR, 0);
	zend_hash_init(&srv->timers, 0, NULL, php_ws_timer_free, 0);
	ZVAL_UNDEF(&srv->handshake_request);
	srv->workers = 1;
	srv->signal_fd = -1;
	for (int i = 0; i < PHP_WS_EV_COUNT; i++) {
		php_ws_callback_init(&srv->handlers[i]);
		php_ws_callback_init(&srv->methods[i]);
	}
	return &srv->std;
}

void php_ws_server_free(zend_object *obj)
{
	php_ws_server *srv = php_ws_server_from_obj(obj);
	zval *zv;

	/* Connections still open (run() left through exit() or an error, or
	 * never finished): forget their handles before the core frees them. */
	ZEND_HASH_FOREACH_VAL(&srv->conns, zv) {
		php_ws_connection_detach(Z_WS_CONNECTION_P(zv), false);
	}
	ZEND_HASH_FOREACH_END();
	php_ws_scale_free(srv); /* the bus before the server it is attached to */
	if (srv->s) {
		/* Frees the core's timers too; their PHP side is srv->timers. */
		ws_server_free(srv->s);
		srv->s = NULL;
	}
	zend_hash_destroy(&srv->conns);
	zend_hash_destroy(&srv->timers);
	zval_ptr_dtor(&srv->handshake_request);
	for (int i = 0; i < PHP_WS_EV_COUNT; i++) {
		php_ws_callback_dtor(&srv->handlers[i]);
	}
	zend_object_std_dtor(&srv->std);
}

HashTable *php_ws_server_get_gc(zend_object *obj, zval **table, int *n)
{
	php_ws_server *srv = php_ws_server_from_obj(obj);
	zend_get_gc_buffer *buf = zend_get_gc_buffer_create();
	php_ws_timer *t;
	zval *zv;

	for (int i = 0; i < PHP_WS_EV_COUNT; i++) {
		zend_get_gc_buffer_add_zval(buf, &srv->handlers[i].callable);
	}
	ZEND_HASH_FOREACH_PTR(&srv->timers, t) {
		zend_get_gc_buffer_add_zval(buf, &t->cb.callable);
	}
	ZEND_HASH_FOREACH_END();
	ZEND_HASH_FOREACH_VAL(&srv->conns, zv) {
		zend_get_gc_buffer_add_zval(buf, zv);
	}
	ZEND_HASH_FOREACH_END();
	zend_get_gc_buffer_add_zval(buf, &srv->handshake_request);
	HashTable *props = php_ws_gc_properties(obj, buf);
	zend_get_gc_buffer_use(buf, table, n);
	return props;
}

/* ---------------------------------------------------------------------
 * Methods.
 */

ZEND_METHOD(Salon_Server, __construct)
{
	php_ws_server *srv = Z_WS_SERVER_P(ZEND_THIS);
	zend_string *host = NULL;
	zend_long port = 8000;
	HashTable *options = NULL;
	ws_config_t cfg;
	char errbuf[256];

	ZEND_PARSE_PARAMETERS_START(0, 3)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR(host)
		Z_PARAM_LONG(port)
		Z_PARAM_ARRAY_HT(options)
	ZEND_PARSE_PARAMETERS_END();

	if (srv->s) {
		zend_throw_error(NULL, "Cannot call constructor twice");
		RETURN_THROWS();
	}
	if (host && zend_str_has_nul_byte(host)) {
		zend_argument_value_error(1, "must not contain any null bytes");
		RETURN_THROWS();
	}
	/* getaddrinfo() would take "" for the wildcard address: listening on
	 * every interface must be asked for by name. */
	if (host && ZSTR_LEN(host) == 0) {
		zend_argument_value_error(1, "must not be empty (use \"0.0.0.0\" or \"::\" to listen on every address)");
		RETURN_THROWS();
	}
	if (port < 0 || port > 65535) {
		zend_argument_value_error(2, "must be between 0 and 65535");
		RETURN_THROWS();
	}
	/* Before binding: an error handler may turn the warnings into an
	 * exception. */
	php_ws_server_check_methods(srv);
	if (EG(exception)) {
		RETURN_THROWS();
	}

	ws_config_init(&cfg);
	cfg.host = host ? ZSTR_VAL(host) : "127.0.0.1";
	cfg.port = (int)port;
	php_ws_lists lists = {.n = 0};
	if (options && php_ws_options_apply(srv, &cfg, options, &lists) == FAILURE) {
		php_ws_lists_free(&lists);
		RETURN_THROWS();
	}
	if (cfg.metrics_path && cfg.metrics_path[0] != '/') {
		php_ws_lists_free(&lists);
		zend_argument_value_error(3, "option \"metrics_path\" must start with \"/\"");
		RETURN_THROWS();
	}
	if (cfg.send_low_water >= cfg.send_high_water) {
		php_ws_lists_free(&lists);
		zend_argument_value_error(3, "option \"send_low_water\" (%zu) must be lower than \"send_high_water\" (%zu)",
								  cfg.send_low_water, cfg.send_high_water);
		RETURN_THROWS();
	}
	php_ws_scale_configure(srv, &cfg);

	errbuf[0] = '\0';
	int rc = ws_server_new(&srv->s, &cfg, &php_ws_callbacks, srv, errbuf, sizeof(errbuf));
	php_ws_lists_free(&lists);
	if (rc != 0) {
		zend_throw_exception(php_ws_exception_ce, errbuf[0] ? errbuf : ws_strerror(rc), 0);
		RETURN_THROWS();
	}
}

ZEND_METHOD(Salon_Server, on)
{
	php_ws_server *srv = Z_WS_SERVER_P(ZEND_THIS);
	zend_string *event;
	zend_fcall_info fci;
	zend_fcall_info_cache fcc;
	int ev = -1;

	ZEND_PARSE_PARAMETERS_START(2, 2)
		Z_PARAM_STR(event)
		Z_PARAM_FUNC(fci, fcc)
	ZEND_PARSE_PARAMETERS_END();

	for (int i = 0; i < PHP_WS_EV_COUNT; i++) {
		if (zend_string_equals_cstr(event, php_ws_event_names[i], strlen(php_ws_event_names[i]))) {
			ev = i;
			break;
		}
	}
	if (ev < 0) {
		zend_value_error("Unknown event \"%s\"; expected one of open, message, close, error, drain, handshake, start",
						 ZSTR_VAL(event));
		RETURN_THROWS();
	}
	php_ws_callback_set(&srv->handlers[ev], &fci, &fcc);
	php_ws_server_resolve(srv, (php_ws_event)ev);
	RETURN_OBJ_COPY(Z_OBJ_P(ZEND_THIS));
}

/* pcntl's async signal handlers (and other VM interrupts) run at the next
 * interrupt check of the VM, and the loop runs no PHP code while it waits:
 * a signal interrupts the wait (EINTR), and they run here. */
static void php_ws_server_interrupt(php_ws_server *srv)
{
	if (EXPECTED(!zend_atomic_bool_load_ex(&EG(vm_interrupt)))) {
		return;
	}
	if (zend_atomic_bool_load_ex(&EG(timed_out))) {
		/* max_execution_time: leave the interrupt set and return from run()
		 * without running handlers; the VM raises the fatal error at once. */
		srv->unwinding = true;
		return;
	}
	if (!zend_interrupt_function) {
		return;
	}
	zend_atomic_bool_store_ex(&EG(vm_interrupt), false);
	zend_interrupt_function(EG(current_execute_data));
	if (EG(exception)) {
		php_ws_server_handle_exception(srv, NULL);
	}
}

/* ---------------------------------------------------------------------
 * SIGINT and SIGTERM while run() is active: a graceful stop.
 *
 * The handlers are installed when the outermost run() starts and the
 * previous ones put back when it stops, through zend_sigaction() (with
 * Zend signal handling, PHP's own handler stays in place at the OS level
 * and calls ours outside its critical sections). A signal whose handler is
 * not the default one is left alone: a pcntl_signal() handler keeps it, and
 * so does an inherited SIG_IGN (a background job's SIGINT). The handler only
 * records the signal and wakes the loop through the server's eventfd; the
 * loop notices the flag at the end of the step.
 */
static const int php_ws_signals[] = {SIGINT, SIGTERM};
#define PHP_WS_NSIGNALS (sizeof(php_ws_signals) / sizeof(php_ws_signals[0]))

static volatile sig_atomic_t php_ws_signal_seen;
static ws_server_t *volatile php_ws_signal_server;
static struct sigaction php_ws_signal_prev[PHP_WS_NSIGNALS];
static bool php_ws_signal_ours[PHP_WS_NSIGNALS];

static void php_ws_signal_handler(int signo)
{
	int saved = errno;
	ws_server_t *s = php_ws_signal_server;

	php_ws_signal_seen = signo;
	if (s) {
		ws_server_wakeup(s);
	}
	errno = saved;
}

static bool php_ws_is_our_handler(const struct sigaction *sa)
{
	return !(sa->sa_flags & SA_SIGINFO) && sa->sa_handler == php_ws_signal_handler;
}

/* Returns false when another run() (a nested one) already owns them. */
static bool php_ws_signals_install(php_ws_server *srv)
{
	if (php_ws_signal_server) {
		return false;
	}
	php_ws_signal_seen = 0;
	php_ws_signal_server = srv->s;
	for (size_t i = 0; i < PHP_WS_NSIGNALS; i++) {
		struct sigaction cur, ours;
		php_ws_signal_ours[i] = false;
		zend_sigaction(php_ws_signals[i], NULL, &cur);
		if ((cur.sa_flags & SA_SIGINFO) || cur.sa_handler != SIG_DFL) {
			continue;
		}
		memset(&ours, 0, sizeof(ours));
		ours.sa_handler = php_ws_signal_handler;
		sigemptyset(&ours.sa_mask);
		zend_sigaction(php_ws_signals[i], &ours, &php_ws_signal_prev[i]);
		php_ws_signal_ours[i] = true;
	}
	return true;
}

static void php_ws_signals_restore(void)
{
	for (size_t i = 0; i < PHP_WS_NSIGNALS; i++) {
		struct sigaction cur;
		if (!php_ws_signal_ours[i]) {
			continue;
		}
		php_ws_signal_ours[i] = false;
		/* A handler installed meanwhile (pcntl_signal() in a handler) is
		 * the application's: keep it. */
		zend_sigaction(php_ws_signals[i], NULL, &cur);
		if (php_ws_is_our_handler(&cur)) {
			zend_sigaction(php_ws_signals[i], &php_ws_signal_prev[i], NULL);
		}
	}
	php_ws_signal_server = NULL;
}

/* ---------------------------------------------------------------------
 * SIGHUP reloads the TLS certificate, as it makes nginx re-read its
 * configuration. Like the SIGINT/SIGTERM handler above, it only records
 * the signal (a count) and wakes the loop through the server's eventfd; the
 * loop notices the count changed at the end of the step and reloads there,
 * where calling OpenSSL and throwing are safe. It is installed while a TLS
 * server's run() is active and only when SIGHUP has no handler yet (default
 * or ignored, as under nohup): a handler set with pcntl_signal() is left
 * alone, so that application can call reloadTls() itself. Through
 * zend_sigaction() it goes into Zend's signal table when PHP has one, as
 * pcntl's handlers do.
 */
static volatile sig_atomic_t php_ws_hup_count;
static int php_ws_hup_users; /* TLS servers in run() */
static ws_server_t *volatile php_ws_hup_server; /* the outermost one, woken up */
static bool php_ws_hup_ours;
static struct sigaction php_ws_hup_prev;

static void php_ws_hup_handler(int signo)
{
	int saved = errno;
	ws_server_t *s = php_ws_hup_server;

	(void)signo;
	/* A sig_atomic_t is only sure to hold 0-127: count modulo 128 (a
	 * loop step that misses exactly 128 signals misses one reload). */
	php_ws_hup_count = (sig_atomic_t)((php_ws_hup_count + 1) & 0x7f);
	if (s) {
		ws_server_wakeup(s);
	}
	errno = saved;
}

static void php_ws_hup_acquire(php_ws_server *srv)
{
	struct sigaction cur, sa;

	if (php_ws_hup_users++ > 0) {
		return;
	}
	php_ws_hup_server = srv->s;
	memset(&cur, 0, sizeof(cur));
	zend_sigaction(SIGHUP, NULL, &cur);
	if ((cur.sa_flags & SA_SIGINFO) || (cur.sa_handler != SIG_DFL && cur.sa_handler != SIG_IGN)) {
		return; /* someone else's handler */
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = php_ws_hup_handler;
	sigemptyset(&sa.sa_mask);
	php_ws_hup_prev = cur;
	zend_sigaction(SIGHUP, &sa, NULL);
	php_ws_hup_ours = true;
}

static void php_ws_hup_release(void)
{
	struct sigaction cur;

	if (--php_ws_hup_users > 0) {
		return;
	}
	php_ws_hup_server = NULL;
	if (!php_ws_hup_ours) {
		return;
	}
	php_ws_hup_ours = false;
	/* Restore the previous disposition, unless a handler replaced ours
	 * meanwhile (pcntl_signal() in a handler): that one stays. */
	memset(&cur, 0, sizeof(cur));
	zend_sigaction(SIGHUP, NULL, &cur);
	if (!(cur.sa_flags & SA_SIGINFO) && cur.sa_handler == php_ws_hup_handler) {
		zend_sigaction(SIGHUP, &php_ws_hup_prev, NULL);
	}
}

/* Reloads the TLS files; on failure throws Salon\Exception (the current
 * certificate stays in use). */
static zend_result php_ws_server_reload_tls(php_ws_server *srv)
{
	char errbuf[512];

	errbuf[0] = '\0';
	int rc = ws_server_tls_reload(srv->s, NULL, errbuf, sizeof(errbuf));
	if (rc == 0) {
		return SUCCESS;
	}
	if (rc == WS_ERR_INVAL && !ws_server_tls(srv->s)) {
		zend_throw_exception(php_ws_exception_ce, "TLS is not enabled on this server (no \"tls\" option)", 0);
	} else {
		zend_throw_exception_ex(php_ws_exception_ce, 0, "TLS reload failed, the current certificate stays: %s",
								errbuf[0] ? errbuf : ws_strerror(rc));
	}
	return FAILURE;
}

static void php_ws_server_check_hup(php_ws_server *srv)
{
	sig_atomic_t n = php_ws_hup_count;

	if (EXPECTED(n == srv->hup_seen)) {
		return;
	}
	srv->hup_seen = (int)n;
	if (php_ws_server_reload_tls(srv) == FAILURE) {
		/* To the error handler, or STDERR: never silent. */
		php_ws_server_handle_exception(srv, NULL);
	}
}

ZEND_METHOD(Salon_Server, run)
{
	php_ws_server *srv = Z_WS_SERVER_P(ZEND_THIS);
	int rc = 0;

	ZEND_PARSE_PARAMETERS_NONE();
	PHP_WS_CHECK_INIT(srv);
	if (srv->running) {
		zend_throw_exception(php_ws_exception_ce, "The server is already running", 0);
		RETURN_THROWS();
	}

	/* Nothing a handler does (unset($server), $server = null) may free the
	 * server while its loop is on the C stack. */
	GC_ADDREF(&srv->std);
	srv->running = true;
	srv->stopping = false;
	srv->unwinding = false;
	srv->bailout = false;
	for (int i = 0; i < PHP_WS_EV_COUNT; i++) {
		php_ws_server_resolve(srv, (php_ws_event)i);
	}

	/* With workers, the master waits here until they all stopped; the
	 * rest (signals, the start handler, the loop) happens in each worker. */
	php_ws_scale_mode mode = php_ws_scale_begin(srv);
	if (mode != PHP_WS_SCALE_SERVE) {
		php_ws_scale_end(srv, false);
		srv->running = false;
		OBJ_RELEASE(&srv->std);
		php_ws_scale_exit(srv);
		return;
	}

	bool signals = php_ws_signals_install(srv);
	bool hup = ws_server_tls(srv->s);
	if (hup) {
		php_ws_hup_acquire(srv);
		srv->hup_seen = (int)php_ws_hup_count;
	}

	/* The start handler may set up timers, or stop() at once. */
	zval zsrv;
	ZVAL_OBJ(&zsrv, &srv->std);
	php_ws_server_dispatch(srv, PHP_WS_EV_START, NULL, 1, &zsrv);

	while (!srv->stopping && !srv->unwinding && !srv->bailout && !php_ws_signal_seen) {
		rc = ws_server_run_once(srv->s, -1);
		if (rc != 0) {
			break;
		}
		php_ws_server_interrupt(srv);
		if (hup && !srv->unwinding && !srv->bailout) {
			php_ws_server_check_hup(srv);
		}
	}
	/* From here a second SIGINT/SIGTERM gets the previous behaviour (by
	 * default: the process ends at once), for whoever cannot wait for the
	 * shutdown. */
	if (signals) {
		php_ws_signals_restore();
	}
	if (hup) {
		php_ws_hup_release();
	}
	if (rc == 0 && !srv->bailout) {
		/* Every open connection gets its close handler before run() returns.
		 * After exit() no handler runs, but peers still get their close frame
		 * and the connections leave the table, which drops their references
		 * to the server (a cycle the release-build shutdown would not free). */
		if (srv->unwinding) {
			static const char reason[] = "server shutting down";
			ws_server_close_all(srv->s, WS_CLOSE_GOING_AWAY, reason, sizeof(reason) - 1, 0);
		} else {
			ws_server_shutdown(srv->s);
		}
	}
	php_ws_scale_end(srv, rc == 0 && !srv->bailout);

	srv->running = false;
	bool bailout = srv->bailout;
	OBJ_RELEASE(&srv->std);
	if (bailout) {
		zend_bailout();
	}
	if (rc != 0 && !EG(exception)) {
		zend_throw_exception_ex(php_ws_exception_ce, 0, "Event loop failed: %s", ws_strerror(rc));
	}
	php_ws_scale_exit(srv);
}

ZEND_METHOD(Salon_Server, stop)
{
	php_ws_server *srv = Z_WS_SERVER_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	PHP_WS_CHECK_INIT(srv);
	if (srv->is_worker) {
		/* Not a crash: the master stops every worker. */
		ws_workers_mark_stop();
	}
	srv->stopping = true;
	ws_server_stop(srv->s);
}

ZEND_METHOD(Salon_Server, broadcast)
{
	php_ws_server *srv = Z_WS_SERVER_P(ZEND_THIS);
	zend_string *data, *room = NULL;
	bool binary = false;
	zval *except = NULL;

	ZEND_PARSE_PARAMETERS_START(1, 4)
		Z_PARAM_STR(data)
		Z_PARAM_OPTIONAL
		Z_PARAM_BOOL(binary)
		Z_PARAM_STR_OR_NULL(room)
		Z_PARAM_OBJECT_OF_CLASS_OR_NULL(except, php_ws_connection_ce)
	ZEND_PARSE_PARAMETERS_END();

	PHP_WS_CHECK_INIT(srv);
	ws_conn_t *skip = except ? Z_WS_CONNECTION_P(except)->c : NULL;
	int rc;
	if (!php_ws_scale_broadcast(srv, data, binary, room, skip, &rc)) {
		rc = room ? ws_server_broadcast_room(srv->s, ZSTR_VAL(room), ZSTR_LEN(room), (const uint8_t *)ZSTR_VAL(data),
											 ZSTR_LEN(data), binary, skip)
				  : ws_server_broadcast(srv->s, (const uint8_t *)ZSTR_VAL(data), ZSTR_LEN(data), binary, skip);
	} else if (EG(exception)) {
		RETURN_THROWS();
	}
	if (rc < 0) {
		zend_throw_exception_ex(php_ws_exception_ce, 0, "Broadcast failed: %s", ws_strerror(rc));
		RETURN_THROWS();
	}
	RETURN_LONG(rc);
}

ZEND_METHOD(Salon_Server, roomCount)
{
	php_ws_server *srv = Z_WS_SERVER_P(ZEND_THIS);
	zend_string *room;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_STR(room)
	ZEND_PARSE_PARAMETERS_END();

	PHP_WS_CHECK_INIT(srv);
	RETURN_LONG((zend_long)ws_server_room_count(srv->s, ZSTR_VAL(room), ZSTR_LEN(room)));
}

static void php_ws_add_room_name(const char *name, size_t len, size_t members, void *ctx)
{
	add_next_index_stringl((zval *)ctx, name, len);
}

ZEND_METHOD(Salon_Server, rooms)
{
	php_ws_server *srv = Z_WS_SERVER_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	PHP_WS_CHECK_INIT(srv);
	array_init_size(return_value, (uint32_t)ws_server_rooms(srv->s, NULL, NULL));
	ws_server_rooms(srv->s, php_ws_add_room_name, return_value);
}

static void php_ws_conn_materialize(ws_conn_t *c, void *ctx)
{
	php_ws_conn_get(ctx, c);
}

static int php_ws_compare_ids(Bucket *a, Bucket *b)
{
	return a->h < b->h ? -1 : a->h > b->h;
}

ZEND_METHOD(Salon_Server, connections)
{
	php_ws_server *srv = Z_WS_SERVER_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	if (srv->s) {
		ws_server_conn_foreach(srv->s, php_ws_conn_materialize, srv);
	}
	/* Objects are made in any order: list them by id, oldest first. */
	HashTable *ht = zend_array_dup(&srv->conns);
	zend_hash_sort(ht, php_ws_compare_ids, false);
	RETURN_ARR(ht);
}

ZEND_METHOD(Salon_Server, connection)
{
	php_ws_server *srv = Z_WS_SERVER_P(ZEND_THIS);
	zend_long id;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_LONG(id)
	ZEND_PARSE_PARAMETERS_END();

	zval *zv = zend_hash_index_find(&srv->conns, (zend_ulong)id);
	if (zv) {
		RETURN_COPY(zv);
	}
	/* Not made yet (or no such connection): ask the core. */
	ws_conn_t *c = srv->s && id > 0 ? ws_server_conn_find(srv->s, (uint64_t)id) : NULL;
	if (!c) {
		RETURN_NULL();
	}
	RETURN_OBJ_COPY(&php_ws_conn_get(srv, c)->std);
}

ZEND_METHOD(Salon_Server, count)
{
	php_ws_server *srv = Z_WS_SERVER_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	/* The same set as connections(), so count($s) === count($s->connections()). */
	RETURN_LONG((zend_long)srv->nconns);
}

ZEND_METHOD(Salon_Server, port)
{
	php_ws_server *srv = Z_WS_SERVER_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	PHP_WS_CHECK_INIT(srv);
	RETURN_LONG(ws_server_port(srv->s));
}

ZEND_METHOD(Salon_Server, host)
{
	php_ws_server *srv = Z_WS_SERVER_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	PHP_WS_CHECK_INIT(srv);
	RETURN_STRING(ws_server_host(srv->s));
}

ZEND_METHOD(Salon_Server, stats)
{
	php_ws_server *srv = Z_WS_SERVER_P(ZEND_THIS);
	ws_stats_t st;

	ZEND_PARSE_PARAMETERS_NONE();
	PHP_WS_CHECK_INIT(srv);
	ws_server_stats(srv->s, &st);
	array_init_size(return_value, 20);
	add_assoc_long(return_value, "connections", (zend_long)st.connections);
	add_assoc_long(return_value, "connections_total", (zend_long)st.connections_total);
	add_assoc_long(return_value, "messages_in", (zend_long)st.messages_in);
	add_assoc_long(return_value, "messages_out", (zend_long)st.messages_out);
	add_assoc_long(return_value, "bytes_in", (zend_long)st.bytes_in);
	add_assoc_long(return_value, "bytes_out", (zend_long)st.bytes_out);
	add_assoc_long(return_value, "handshakes_failed", (zend_long)st.handshakes_failed);
	add_assoc_long(return_value, "http_requests", (zend_long)st.http_requests);

	zval sub;
	array_init_size(&sub, 3);
	add_assoc_long(&sub, "handshake", (zend_long)st.connections_handshake);
	add_assoc_long(&sub, "open", (zend_long)st.connections_open);
	add_assoc_long(&sub, "closing", (zend_long)st.connections_closing);
	add_assoc_zval(return_value, "connections_by_state", &sub);
	add_assoc_long(return_value, "bytes_buffered", (zend_long)st.bytes_buffered);
	add_assoc_long(return_value, "rooms", (zend_long)st.rooms);
	add_assoc_long(return_value, "room_members", (zend_long)st.room_members);

	array_init_size(&sub, 5);
	add_assoc_double(&sub, "messages_in", st.messages_in_rate);
	add_assoc_double(&sub, "messages_out", st.messages_out_rate);
	add_assoc_double(&sub, "bytes_in", st.bytes_in_rate);
	add_assoc_double(&sub, "bytes_out", st.bytes_out_rate);
	add_assoc_double(&sub, "connections", st.connections_rate);
	add_assoc_zval(return_value, "per_second", &sub);

	uint16_t codes[65];
	uint64_t counts[65];
	size_t n = ws_server_close_codes(srv->s, codes, counts, 65);
	array_init_size(&sub, (uint32_t)n);
	for (size_t i = 0; i < n && i < 65; i++) {
		add_index_long(&sub, codes[i], (zend_long)counts[i]);
	}
	add_assoc_zval(return_value, "close_codes", &sub);
	add_assoc_double(return_value, "loop_lag_ms", st.loop_lag_ms);
	add_assoc_double(return_value, "loop_lag_max_ms", st.loop_lag_max_ms);
	add_assoc_double(return_value, "uptime", st.uptime_s);
	php_ws_scale_stats(srv, return_value);
}

ZEND_METHOD(Salon_Server, reloadTls)
{
	php_ws_server *srv = Z_WS_SERVER_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	PHP_WS_CHECK_INIT(srv);
	if (php_ws_server_reload_tls(srv) == FAILURE) {
		RETURN_THROWS();
	}
}

ZEND_METHOD(Salon_Server, after)
{
	php_ws_server_add_timer(INTERNAL_FUNCTION_PARAM_PASSTHRU, false);
}

ZEND_METHOD(Salon_Server, every)
{
	php_ws_server_add_timer(INTERNAL_FUNCTION_PARAM_PASSTHRU, true);
}

ZEND_METHOD(Salon_Server, cancel)
{
	php_ws_server *srv = Z_WS_SERVER_P(ZEND_THIS);
	zend_long id;

	ZEND_PARSE_PARAMETERS_START(1, 1)
		Z_PARAM_LONG(id)
	ZEND_PARSE_PARAMETERS_END();

	PHP_WS_CHECK_INIT(srv);
	/* Only ids this server handed out; anything else is a no-op. */
	if (zend_hash_index_exists(&srv->timers, (zend_ulong)id)) {
		ws_server_timer_cancel(srv->s, (uint64_t)id);
		zend_hash_index_del(&srv->timers, (zend_ulong)id);
	}
}
