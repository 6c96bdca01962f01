dnl Salon: a WebSocket server for PHP. The core (src/) is plain C11 and
dnl knows nothing of PHP; ext/ is the Zend glue around it.

PHP_ARG_ENABLE([salon],
  [whether to enable Salon],
  [AS_HELP_STRING([--enable-salon], [Enable Salon, the WebSocket server])],
  [no])

if test "$PHP_SALON" != "no"; then
  PKG_CHECK_MODULES([OPENSSL], [openssl >= 1.1.1])
  PHP_EVAL_INCLINE([$OPENSSL_CFLAGS])
  PHP_EVAL_LIBLINE([$OPENSSL_LIBS], [SALON_SHARED_LIBADD])

  PKG_CHECK_MODULES([ZLIB], [zlib >= 1.2.11])
  PHP_EVAL_INCLINE([$ZLIB_CFLAGS])
  PHP_EVAL_LIBLINE([$ZLIB_LIBS], [SALON_SHARED_LIBADD])

  AC_CHECK_HEADERS([sys/epoll.h])

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
  "
  SALON_EXT_SOURCES="
    ext/salon.c
    ext/server.c
    ext/connection.c
    ext/request.c
  "

  dnl Both halves are C11 and -Wall -Wextra clean. The core defines the
  dnl feature macros it needs itself, so the _GNU_SOURCE of PHP's
  dnl CFLAGS_CLEAN is undone for it (it is then built as the unit tests
  dnl build it); the Zend headers need that _GNU_SOURCE (siginfo_t). The
  dnl Zend API hands every method parameters it may not use, so ext/ drops
  dnl only that warning, as php-src itself does.
  SALON_CORE_CFLAGS="-std=c11 -U_GNU_SOURCE -Wall -Wextra -fvisibility=hidden"
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
