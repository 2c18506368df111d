// Small shims Swift cannot call directly; the CRC32C and SHA-256 ones live in their own files.
#include "CQuoteSupport.h"

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

int cqs_nice_this_thread(int increment) {
    pid_t thread = (pid_t)syscall(SYS_gettid);
    return setpriority(PRIO_PROCESS, (id_t)thread, getpriority(PRIO_PROCESS, (id_t)thread) + increment);
}
#else
int cqs_nice_this_thread(int increment) {
    (void)increment;
    return -1;
}
#endif
