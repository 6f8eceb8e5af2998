#ifndef DROVER_CSUPPORT_H
#define DROVER_CSUPPORT_H
/* Header-only shims for Linux calls that Swift's Glibc module hides or cannot call (variadic, macros). */
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <signal.h>
#include <poll.h>

static inline int drover_set_child_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }
static inline int drover_set_pdeathsig(int sig) { return prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0); }
/* Names the calling thread (15 bytes at most; shows in ps, top and perf). */
static inline int drover_set_thread_name(const char *name) { return prctl(PR_SET_NAME, name, 0, 0, 0); }
static inline int drover_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }
static inline int drover_wifexited(int status) { return WIFEXITED(status); }
static inline int drover_wexitstatus(int status) { return WEXITSTATUS(status); }
static inline int drover_wifsignaled(int status) { return WIFSIGNALED(status); }
static inline int drover_wtermsig(int status) { return WTERMSIG(status); }
#endif
