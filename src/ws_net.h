/* Socket helpers: listen, accept, options, addresses. System-call failures
 * keep their detail in errbuf ("bind(127.0.0.1:80): Permission denied"). */
#ifndef SALON_WS_NET_H
#define SALON_WS_NET_H

#include <stddef.h>
#include <sys/socket.h>

/* Resolves host (numeric or name), creates a non-blocking, close-on-exec
 * listening socket bound to host:port. Returns the fd, or WS_ERR_SYS /
 * WS_ERR_INVAL with errbuf filled. */
int ws_net_listen(const char *host, int port, int backlog, int reuse_port, char *errbuf, size_t errlen);

/* The port a socket is bound to, or -1. */
int ws_net_local_port(int fd);

/* Accepts one connection, non-blocking and close-on-exec, TCP_NODELAY set.
 * Returns the fd, or -1 with errno (EAGAIN when none is waiting). */
int ws_net_accept(int lfd, struct sockaddr_storage *ss, socklen_t *sslen);

/* Formats "ip:port" or "[v6]:port" (IPv4-mapped v6 shown as v4). */
void ws_net_format(const struct sockaddr_storage *ss, char *out, size_t outlen);

/* Raises RLIMIT_NOFILE's soft limit to the hard limit. Returns the new
 * soft limit. */
long ws_net_raise_fd_limit(void);

#endif
