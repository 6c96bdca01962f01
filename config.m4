dnl Salon: a WebSocket server for PHP. The core (src/) is plain C11 and
dnl knows nothing of PHP; ext/ is the Zend glue around it.

PHP_ARG_ENABLE([salon],
  [whether to enable Salon],
  [AS_HELP_STRING([--enable-salon], [Enable Salon, the WebSocket server])],
  [no])

PHP_ARG_WITH([salon-hiredis],
  [for hiredis (Salon's Redis cluster bus)],
  [AS_HELP_STRING([[--with-salon-hiredis]],
    [Salon: the Redis cluster bus, with hiredis found by pkg-config (default: when found)])],
  [auto],
  [no])

if test "$PHP_SALON" != "no"; then
  PKG_CHECK_MODULES([OPENSSL], [openssl >= 1.1.1])
  PHP_EVAL_INCLINE([$OPENSSL_CFLAGS])
  PHP_EVAL_LIBLINE([$OPENSSL_LIBS], [SALON_SHARED_LIBADD])

  PKG_CHECK_MODULES([ZLIB], [zlib >= 1.2.11])
  PHP_EVAL_INCLINE([$ZLIB_CFLAGS])
  PHP_EVAL_LIBLINE([$ZLIB_LIBS], [SALON_SHARED_LIBADD])

  AC_CHECK_HEADERS([sys/epoll.h])

  dnl The cluster bus is optional: without hiredis the option "cluster"
  dnl throws and php --ri salon says "Cluster => no".
  SALON_CLUSTER_SOURCES=""
  SALON_HIREDIS_CFLAGS=""
  if test "$PHP_SALON_HIREDIS" != "no"; then
    PKG_CHECK_MODULES([HIREDIS], [hiredis >= 0.14], [salon_hiredis=yes], [salon_hiredis=no])
    if test "$salon_hiredis" = "yes"; then
      PHP_EVAL_LIBLINE([$HIREDIS_LIBS], [SALON_SHARED_LIBADD])
      AC_DEFINE([HAVE_SALON_HIREDIS], [1], [Salon's cluster bus is built (hiredis)])
      SALON_CLUSTER_SOURCES="src/ws_cluster.c"
      SALON_HIREDIS_CFLAGS="$HIREDIS_CFLAGS"
    elif test "$PHP_SALON_HIREDIS" = "yes"; then
      AC_MSG_ERROR([--with-salon-hiredis: pkg-config does not find hiredis (Debian: apt-get install libhiredis-dev)])
    fi
  fi

  dnl Every source file, by name.
  SALON_CORE_SOURCES="
    src/ws_alloc.c
    src/ws_utf8.c
    src/ws_frame.c
    src/ws_deflate.c
    src/ws_http.c
    src/ws_buf.c
    src/ws_loop.c
    src/ws_net.c
    src/ws_tls.c
    src/ws_server.c
    src/ws_room.c
    src/ws_upgrade.c
    src/ws_proxy.c
    src/ws_metrics.c
    src/ws_workers.c
    src/ws_bus.c
    $SALON_CLUSTER_SOURCES
  "
  SALON_EXT_SOURCES="
    ext/salon.c
    ext/server.c
    ext/connection.c
    ext/request.c
    ext/cluster.c
  "

  dnl Both halves are C11 and -Wall -Wextra clean. The core defines the
  dnl feature macros it needs itself, so the _GNU_SOURCE of PHP's
  dnl CFLAGS_CLEAN is undone for it (it is then built as the unit tests
  dnl build it); the Zend headers need that _GNU_SOURCE (siginfo_t). The
  dnl Zend API hands every method parameters it may not use, so ext/ drops
  dnl only that warning, as php-src itself does.
  dnl hiredis' include path goes to the core only (its directory holds
  dnl headers with generic names such as read.h).
  SALON_CORE_CFLAGS="-std=c11 -U_GNU_SOURCE -Wall -Wextra -fvisibility=hidden $SALON_HIREDIS_CFLAGS"
  SALON_EXT_CFLAGS="-std=c11 -Wall -Wextra -Wno-unused-parameter -fvisibility=hidden -I@ext_srcdir@/src"

  PHP_NEW_EXTENSION([salon], [$SALON_EXT_SOURCES], [$ext_shared], [], [$SALON_EXT_CFLAGS])
  if test "$ext_shared" = "yes" || test "$ext_shared" = "shared"; then
    PHP_ADD_SOURCES_X(PHP_EXT_DIR([salon]), [$SALON_CORE_SOURCES], [$SALON_CORE_CFLAGS], [shared_objects_salon], [yes])
  else
    PHP_ADD_SOURCES(PHP_EXT_DIR([salon]), [$SALON_CORE_SOURCES], [$SALON_CORE_CFLAGS])
  fi

  PHP_ADD_BUILD_DIR([$ext_builddir/src])
  PHP_ADD_BUILD_DIR([$ext_builddir/ext])
  PHP_SUBST([SALON_SHARED_LIBADD])
  PHP_ADD_MAKEFILE_FRAGMENT
fi
