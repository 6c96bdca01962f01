#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include "ws.h"
#include "ws_net.h"

static void set_err(char *buf, size_t len, const char *what, const char *host, int port, const char *why)
{
	if (!buf || !len)
		return;
	if (strchr(host, ':'))
		snprintf(buf, len, "%s([%s]:%d): %s", what, host, port, why);
	else
		snprintf(buf, len, "%s(%s:%d): %s", what, host, port, why);
}

int ws_net_listen(const char *host, int port, int backlog, int reuse_port, char *errbuf, size_t errlen)
{
	if (port < 0 || port > 65535) {
		set_err(errbuf, errlen, "listen", host, port, "port out of range");
		return WS_ERR_INVAL;
	}
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	char portstr[8];
	snprintf(portstr, sizeof(portstr), "%d", port);
	int rc = getaddrinfo(host && *host ? host : NULL, portstr, &hints, &res);
	if (rc != 0) {
		set_err(errbuf, errlen, "getaddrinfo", host, port, gai_strerror(rc));
		return WS_ERR_INVAL;
	}
	int fd = -1;
	int saved = 0;
	const char *what = "socket";
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			saved = errno;
			what = "socket";
			continue;
		}
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (reuse_port)
			setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
			saved = errno;
			what = "bind";
			close(fd);
			fd = -1;
			continue;
		}
		if (listen(fd, backlog > 0 ? backlog : 511) != 0) {
			saved = errno;
			what = "listen";
			close(fd);
			fd = -1;
			continue;
		}
		break;
	}
	freeaddrinfo(res);
	if (fd < 0) {
		set_err(errbuf, errlen, what, host, port, strerror(saved ? saved : EINVAL));
		return WS_ERR_SYS;
	}
	return fd;
}

int ws_net_local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return -1;
}

int ws_net_accept(int lfd, struct sockaddr_storage *ss, socklen_t *sslen)
{
	*sslen = sizeof(*ss);
	int fd = accept4(lfd, (struct sockaddr *)ss, sslen, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return -1;
	int one = 1;
	/* Frames are written whole at the end of a loop step; Nagle would only
	 * add a delayed-ACK round trip to every small message. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

void ws_net_format(const struct sockaddr_storage *ss, char *out, size_t outlen)
{
	char ip[INET6_ADDRSTRLEN] = "?";
	int port = 0;
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
		inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
		port = ntohs(a->sin_port);
		snprintf(out, outlen, "%s:%d", ip, port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
		port = ntohs(a->sin6_port);
		if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) {
			inet_ntop(AF_INET, &a->sin6_addr.s6_addr[12], ip, sizeof(ip));
			snprintf(out, outlen, "%s:%d", ip, port);
		} else {
			inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
			snprintf(out, outlen, "[%s]:%d", ip, port);
		}
	} else {
		snprintf(out, outlen, "unix");
	}
}

long ws_net_raise_fd_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return -1;
	if (rl.rlim_cur < rl.rlim_max) {
		rlim_t want = rl.rlim_max;
		/* Some systems report an infinite hard limit that the kernel will
		 * not actually grant; a million descriptors is plenty. */
		if (want == RLIM_INFINITY || want > 1048576)
			want = 1048576;
		if (want > rl.rlim_cur) {
			rl.rlim_cur = want;
			if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
				return (long)want;
		}
	}
	return (long)rl.rlim_cur;
}
