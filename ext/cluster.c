/*
 * Scale-out glue of Salon\Server: the options "workers" and "cluster",
 * run() forking workers, the Redis bus while the loop runs, workerId(),
 * clusterCount() and the cluster figures of stats().
 *
 * Listening sockets with workers. The constructor binds (so a bind error is
 * an exception there, and port 0 is resolved once); with workers it sets
 * SO_REUSEPORT on that socket. Worker 0 serves that inherited socket; every
 * other worker opens a socket of its own on the same address and port with
 * SO_REUSEPORT, so the kernel spreads new connections over the workers (no
 * shared accept queue, no thundering herd). The master keeps the first
 * socket open but never accepts on it: while worker 0 is being restarted,
 * connections wait in that queue instead of being refused, and the port
 * stays ours. (A worker other than 0 that dies takes the connections
 * queued on its own socket with it: the kernel resets them. That is
 * SO_REUSEPORT's nature.)
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "php.h"
#include "ext/standard/info.h"
#include "zend_exceptions.h"

#include "php_salon.h"

#define PHP_WS_MAX_WORKERS 1024
/* How long clusterCount() waits for Redis, and run() for its goodbye. */
#define PHP_WS_CLUSTER_QUERY_MS 2000
#define PHP_WS_CLUSTER_GOODBYE_MS 500

int php_ws_scale_option(php_ws_server *srv, zend_string *key, zval *value)
{
	if (zend_string_equals_literal(key, "workers")) {
		if (Z_TYPE_P(value) != IS_LONG) {
			zend_argument_type_error(3, "option \"workers\" must be of type int, %s given", zend_zval_type_name(value));
			return -1;
		}
		if (Z_LVAL_P(value) < 1 || Z_LVAL_P(value) > PHP_WS_MAX_WORKERS) {
			zend_argument_value_error(3, "option \"workers\" must be between 1 and %d", PHP_WS_MAX_WORKERS);
			return -1;
		}
		srv->workers = Z_LVAL_P(value);
		return 1;
	}
	if (zend_string_equals_literal(key, "cluster")) {
		if (Z_TYPE_P(value) == IS_NULL) {
			if (srv->cluster_url) {
				zend_string_release(srv->cluster_url);
				srv->cluster_url = NULL;
			}
			return 1;
		}
		if (Z_TYPE_P(value) != IS_STRING) {
			zend_argument_type_error(3, "option \"cluster\" must be of type ?string, %s given",
									 zend_zval_type_name(value));
			return -1;
		}
		char err[256];
		if (zend_str_has_nul_byte(Z_STR_P(value)) || ws_cluster_check_url(Z_STRVAL_P(value), err, sizeof(err)) != 0) {
			zend_argument_value_error(3, "option \"cluster\": %s", zend_str_has_nul_byte(Z_STR_P(value)) ? "contains a null byte" : err);
			return -1;
		}
#ifndef HAVE_SALON_HIREDIS
		zend_throw_exception(php_ws_exception_ce,
							 "Option \"cluster\" needs Salon built with hiredis (php --ri salon shows \"Cluster => no\")", 0);
		return -1;
#endif
		if (srv->cluster_url) {
			zend_string_release(srv->cluster_url);
		}
		srv->cluster_url = zend_string_copy(Z_STR_P(value));
		return 1;
	}
	return 0;
}

void php_ws_scale_configure(php_ws_server *srv, ws_config_t *cfg)
{
	if (srv->workers > 1) {
		/* Every worker's socket must have it, the first one included. */
		cfg->reuse_port = 1;
	}
}

/* ---------------------------------------------------------------------
 * Workers.
 */

static void php_ws_worker_exited(int worker_id, int pid, int status, int restarting, void *user_data)
{
	if (status == 0 && !restarting) {
		return;
	}
	char what[64];
	if (status == -1) {
		snprintf(what, sizeof(what), "is gone");
	} else if (WIFSIGNALED(status)) {
		snprintf(what, sizeof(what), "was killed by signal %d", WTERMSIG(status));
	} else {
		snprintf(what, sizeof(what), "exited with status %d", WEXITSTATUS(status));
	}
	fprintf(stderr, "Salon: worker %d (pid %d) %s%s\n", worker_id, pid, what, restarting ? "; restarting it" : "");
	fflush(stderr);
}

static void php_ws_on_stop_signal(ws_server_t *s, int fd, unsigned events, void *arg)
{
	php_ws_server *srv = arg;

	if (ws_workers_signal_read(fd) != 0) {
		ws_workers_mark_stop(); /* a stop, not a crash: no restart */
		srv->stopping = true;
		ws_server_stop(s);
	}
}

/* ---------------------------------------------------------------------
 * The bus.
 */

#ifdef HAVE_SALON_HIREDIS
static void php_ws_on_cluster_event(ws_cluster_t *cl, int event, const char *detail, void *user_data)
{
	php_ws_server *srv = user_data;

	/* One line per outage, and one when it is over: a Redis that is down
	 * for an hour does not fill the log. */
	if (event == WS_CLUSTER_DROPPING) {
		fprintf(stderr,
				"Salon: cluster bus unavailable (%s): broadcasts reach this node's connections only until it "
				"reconnects; lost publishes are counted in stats()['cluster_dropped']\n",
				detail);
	} else if (event == WS_CLUSTER_RECOVERED) {
		fprintf(stderr, "Salon: cluster bus reconnected; %s\n", detail);
	} else {
		return;
	}
	if (srv->is_worker) {
		fprintf(stderr, "  (worker %d)\n", (int)srv->worker_id);
	}
	fflush(stderr);
}
#endif

php_ws_scale_mode php_ws_scale_begin(php_ws_server *srv)
{
	char err[256];

	if (srv->workers > 1 && !srv->is_worker) {
		int worker_id = 0;
		/* With TLS, SIGHUP to the master reloads every worker's certificate. */
		int flags = ws_server_tls(srv->s) ? WS_WORKERS_FORWARD_HUP : 0;
		int rc = ws_workers_run((int)srv->workers, flags, php_ws_worker_exited, srv, &worker_id, err, sizeof(err));
		if (rc == 0) {
			return PHP_WS_SCALE_DONE; /* the master: every worker has stopped */
		}
		if (rc < 0) {
			zend_throw_exception_ex(php_ws_exception_ce, 0, "Could not start the workers: %s",
									err[0] ? err : ws_strerror(rc));
			return PHP_WS_SCALE_FAILED;
		}
		/* A worker, from here until the process ends. */
		srv->is_worker = true;
		srv->worker_id = worker_id;
		if (ws_server_after_fork(srv->s, worker_id != 0, err, sizeof(err)) != 0) {
			zend_throw_exception_ex(php_ws_exception_ce, 0, "Worker %d could not listen: %s", worker_id, err);
			return PHP_WS_SCALE_FAILED;
		}
		/* Ids unique on this machine; the bus below replaces the prefix
		 * with its node id. */
		ws_server_set_id_prefix(srv->s, (uint32_t)worker_id + 1);
		srv->signal_fd = ws_workers_signal_fd();
		if (srv->signal_fd < 0 ||
			ws_server_watch(srv->s, srv->signal_fd, WS_WATCH_READ, php_ws_on_stop_signal, srv) != 0) {
			zend_throw_exception_ex(php_ws_exception_ce, 0, "Worker %d: signalfd: %s", worker_id, strerror(errno));
			return PHP_WS_SCALE_FAILED;
		}
	}
#ifdef HAVE_SALON_HIREDIS
	if (srv->cluster_url && !srv->cluster) {
		ws_cluster_config_t cfg;
		ws_cluster_config_init(&cfg);
		cfg.url = ZSTR_VAL(srv->cluster_url);
		err[0] = '\0';
		int rc = ws_cluster_new(&srv->cluster, srv->s, &cfg, php_ws_on_cluster_event, srv, err, sizeof(err));
		if (rc != 0) {
			zend_throw_exception_ex(php_ws_exception_ce, 0, "Could not start the cluster bus: %s",
									err[0] ? err : ws_strerror(rc));
			return PHP_WS_SCALE_FAILED;
		}
	}
#endif
	return PHP_WS_SCALE_SERVE;
}

void php_ws_scale_end(php_ws_server *srv, bool clean)
{
#ifdef HAVE_SALON_HIREDIS
	if (srv->cluster) {
		ws_cluster_free(srv->cluster, clean ? PHP_WS_CLUSTER_GOODBYE_MS : 0);
		srv->cluster = NULL;
	}
#endif
	if (srv->signal_fd >= 0) {
		ws_server_unwatch(srv->s, srv->signal_fd);
		close(srv->signal_fd);
		srv->signal_fd = -1;
	}
}

void php_ws_scale_exit(php_ws_server *srv)
{
	if (!srv->is_worker) {
		return;
	}
	/* A worker's run() ends the process, as exit() would (shutdown
	 * functions and destructors run): the code after run() is the
	 * master's, and must not run in a worker, not even after an exception
	 * that the script would catch around run(). Such an exception is
	 * reported here and the worker exits with 255, which the master takes
	 * for a crash. */
	zend_object *ex = EG(exception);
	if (ex && (zend_is_unwind_exit(ex) || zend_is_graceful_exit(ex))) {
		return;
	}
	if (ex) {
		zval rv;
		zend_class_entry *base = zend_get_exception_base(ex);
		zend_string *msg = zval_get_string(zend_read_property_ex(base, ex, ZSTR_KNOWN(ZEND_STR_MESSAGE), 1, &rv));
		fprintf(stderr, "Salon: worker %d: %s: %s\n", (int)srv->worker_id, ZSTR_VAL(ex->ce->name), ZSTR_VAL(msg));
		fflush(stderr);
		zend_string_release(msg);
		zend_clear_exception();
		EG(exit_status) = 255;
	}
	zend_throw_unwind_exit();
}

void php_ws_scale_free(php_ws_server *srv)
{
#ifdef HAVE_SALON_HIREDIS
	if (srv->cluster) {
		ws_cluster_free(srv->cluster, 0);
		srv->cluster = NULL;
	}
#endif
	if (srv->signal_fd >= 0) {
		close(srv->signal_fd);
		srv->signal_fd = -1;
	}
	if (srv->cluster_url) {
		zend_string_release(srv->cluster_url);
		srv->cluster_url = NULL;
	}
}

bool php_ws_scale_broadcast(php_ws_server *srv, zend_string *data, bool binary, zend_string *room, ws_conn_t *skip,
							int *rc)
{
#ifdef HAVE_SALON_HIREDIS
	if (srv->cluster) {
		if (room && ZSTR_LEN(room) > 65535) {
			zend_argument_value_error(3, "must be at most 65535 bytes long with the \"cluster\" option");
			*rc = 0;
			return true;
		}
		if (room && ZSTR_LEN(room) == 0) {
			*rc = 0; /* nobody is in a room without a name */
			return true;
		}
		*rc = ws_cluster_broadcast(srv->cluster, room ? ZSTR_VAL(room) : NULL, room ? ZSTR_LEN(room) : 0,
								   (const uint8_t *)ZSTR_VAL(data), ZSTR_LEN(data), binary, skip);
		return true;
	}
#endif
	return false;
}

void php_ws_scale_stats(php_ws_server *srv, zval *arr)
{
#ifdef HAVE_SALON_HIREDIS
	if (!srv->cluster_url) {
		return;
	}
	ws_cluster_stats_t st;
	memset(&st, 0, sizeof(st));
	if (srv->cluster) {
		ws_cluster_stats(srv->cluster, &st);
	}
	add_assoc_bool(arr, "cluster_connected", st.connected);
	add_assoc_long(arr, "cluster_node", srv->cluster ? (zend_long)ws_cluster_node_id(srv->cluster) : 0);
	add_assoc_long(arr, "cluster_published", (zend_long)st.published);
	add_assoc_long(arr, "cluster_received", (zend_long)st.received);
	add_assoc_long(arr, "cluster_dropped", (zend_long)st.dropped);
	add_assoc_long(arr, "cluster_invalid", (zend_long)st.invalid);
	add_assoc_long(arr, "cluster_reconnects", (zend_long)st.reconnects);
#endif
}

void php_ws_scale_minfo(void)
{
#ifdef HAVE_SALON_HIREDIS
	char v[64];
	snprintf(v, sizeof(v), "yes (%s)", ws_cluster_backend());
	php_info_print_table_row(2, "Cluster", v);
#else
	php_info_print_table_row(2, "Cluster", "no (built without hiredis)");
#endif
	php_info_print_table_row(2, "Workers", "yes (fork, SO_REUSEPORT)");
}

/* ---------------------------------------------------------------------
 * Methods.
 */

ZEND_METHOD(Salon_Server, workerId)
{
	php_ws_server *srv = Z_WS_SERVER_P(ZEND_THIS);

	ZEND_PARSE_PARAMETERS_NONE();
	RETURN_LONG(srv->is_worker ? srv->worker_id : 0);
}

ZEND_METHOD(Salon_Server, clusterCount)
{
	php_ws_server *srv = Z_WS_SERVER_P(ZEND_THIS);
	zend_string *room = NULL;

	ZEND_PARSE_PARAMETERS_START(0, 1)
		Z_PARAM_OPTIONAL
		Z_PARAM_STR_OR_NULL(room)
	ZEND_PARSE_PARAMETERS_END();

	if (!srv->s) {
		zend_throw_error(NULL, "%s object is not initialized; did its constructor call parent::__construct()?",
						 ZSTR_VAL(srv->std.ce->name));
		RETURN_THROWS();
	}
	if (room && ZSTR_LEN(room) == 0) {
		zend_argument_value_error(1, "must not be empty");
		RETURN_THROWS();
	}
	if (room && ZSTR_LEN(room) > 65535) {
		zend_argument_value_error(1, "must be at most 65535 bytes long");
		RETURN_THROWS();
	}
#ifdef HAVE_SALON_HIREDIS
	if (srv->cluster) {
		uint64_t n = 0;
		int rc = ws_cluster_count(srv->cluster, room ? ZSTR_VAL(room) : NULL, room ? ZSTR_LEN(room) : 0,
								  PHP_WS_CLUSTER_QUERY_MS, &n);
		if (rc != 0) {
			const char *detail = ws_cluster_error(srv->cluster);
			zend_throw_exception_ex(php_ws_exception_ce, 0, "clusterCount(): %s%s%s",
									rc == WS_ERR_CLOSED ? "the cluster bus is not connected" : ws_strerror(rc),
									detail[0] ? ": " : "", detail);
			RETURN_THROWS();
		}
		RETURN_LONG((zend_long)n);
	}
#endif
	/* No bus (not configured, or not running yet): this process is the
	 * whole cluster. */
	RETURN_LONG((zend_long)(room ? ws_server_room_count(srv->s, ZSTR_VAL(room), ZSTR_LEN(room)) : ws_server_count(srv->s)));
}
