#ifndef DROVER_CSUPPORT_H
#define DROVER_CSUPPORT_H
/* Header-only shims for Linux calls that Swift's Glibc module hides or cannot call (variadic, macros). */
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <signal.h>
#include <poll.h>
#include <spawn.h>
#include <fcntl.h>

/* glibc declares these only under _GNU_SOURCE, which Swift's Glibc module is built without. */
extern int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *, const char *);
extern int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *, int);
extern int pipe2(int pipefd[2], int flags);

static inline int drover_set_child_subreaper(void) { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }
static inline int drover_set_pdeathsig(int sig) { return prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0); }
/* Names the calling thread (15 bytes at most; shows in ps, top and perf). */
static inline int drover_set_thread_name(const char *name) { return prctl(PR_SET_NAME, name, 0, 0, 0); }
static inline pid_t drover_gettid(void) { return (pid_t)syscall(SYS_gettid); }
static inline int drover_pidfd_open(pid_t pid) { return (int)syscall(SYS_pidfd_open, pid, 0); }
static inline int drover_wifexited(int status) { return WIFEXITED(status); }
static inline int drover_wexitstatus(int status) { return WEXITSTATUS(status); }
static inline int drover_wifsignaled(int status) { return WIFSIGNALED(status); }
static inline int drover_wtermsig(int status) { return WTERMSIG(status); }
/* posix_spawn: chdir in the child (glibc >= 2.29) and close every fd >= `from` (glibc >= 2.34). */
static inline int drover_spawn_addchdir(posix_spawn_file_actions_t *fa, const char *dir) {
    return posix_spawn_file_actions_addchdir_np(fa, dir);
}
static inline int drover_spawn_addclosefrom(posix_spawn_file_actions_t *fa, int from) {
    return posix_spawn_file_actions_addclosefrom_np(fa, from);
}
/* A pipe whose ends are close-on-exec from the start (no window for a concurrent spawn to inherit them). */
static inline int drover_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }
#endif
