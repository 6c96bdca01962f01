/*
 * Preloaded ahead of libasan by tests/asan/run.sh: php loads extensions with
 * dlopen(..., RTLD_DEEPBIND), which ASan refuses ("incompatible with
 * sanitizer runtime", google/sanitizers#611). This dlopen drops the flag
 * and hands over to the next one (ASan's interceptor, then libc's).
 */
#define _GNU_SOURCE
#include <dlfcn.h>

void *dlopen(const char *file, int mode)
{
	static void *(*next)(const char *, int);

	if (!next)
		next = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
	return next(file, mode & ~RTLD_DEEPBIND);
}
