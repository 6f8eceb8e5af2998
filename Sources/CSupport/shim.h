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
#include <errno.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>

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

/* ---- Spawning a container in a private mount namespace with bind mounts (drover_spawn_mounted) ----
 * posix_spawn cannot unshare or mount in the child, so this is a small vfork-based spawn. The
 * parent prepares every string and array; the child (which shares the parent's memory until it
 * execs or exits, with every signal blocked) only makes async-signal-safe system calls and reports
 * a failure as a drover_spawn_failure on a close-on-exec pipe before it exits with 127. */

/* One bind mount. `target` must be writable memory: the child creates missing directories of it
 * by cutting it at each '/' in place (and restoring it). */
typedef struct {
    const char *source;
    char *target;
    int read_only;
} drover_bind_mount;

/* What the child was doing when it failed (drover_spawn_failure.step). */
enum {
    DROVER_STEP_SETPGID = 1,
    DROVER_STEP_UNSHARE = 2,     /* unshare(CLONE_NEWNS) */
    DROVER_STEP_PRIVATE = 3,     /* mount(NULL, "/", MS_REC|MS_PRIVATE) */
    DROVER_STEP_MKDIR = 4,       /* a directory of mounts[index].target */
    DROVER_STEP_BIND = 5,        /* bind mounts[index] */
    DROVER_STEP_READ_ONLY = 6,   /* remount mounts[index] read-only */
    DROVER_STEP_CHDIR = 7,
    DROVER_STEP_STDIO = 8,
    DROVER_STEP_EXEC = 9
};

typedef struct {
    int step;
    int index;
    int error;
} drover_spawn_failure;

typedef struct {
    /* Paths execve tries in order (a PATH search prepared by the parent); NULL: after the mounts
     * the child exits with 0 instead (a probe of whether mounting works). */
    const char *const *candidates;
    int candidate_count;
    char *const *argv;
    char *const *envp;
    const char *working_directory;
    int stdin_fd;
    int output_fd;   /* becomes stdout and stderr */
    const drover_bind_mount *mounts;
    int mount_count;
} drover_spawn_request;

#define DROVER_CLONE_NEWNS 0x00020000
#define DROVER_CLOSE_RANGE_CLOEXEC (1U << 2)

static inline void drover_child_fail(int report_fd, int step, int index, int error) {
    drover_spawn_failure failure = { step, index, error };
    while (write(report_fd, &failure, sizeof failure) < 0 && errno == EINTR) {}
    _exit(127);
}

/* dup2 that also clears close-on-exec when the descriptor is already in place. */
static inline int drover_child_dup(int from, int to) {
    if (from == to) return fcntl(to, F_SETFD, 0);
    return dup2(from, to) < 0 ? -1 : 0;
}

/* mkdir -p of `path` (every component; existing ones are fine). */
static inline int drover_child_mkdirs(char *path) {
    for (char *p = path + 1; ; p++) {
        if (*p != '/' && *p != '\0') continue;
        char saved = *p;
        *p = '\0';
        int failed = mkdir(path, 0755) != 0 && errno != EEXIST;
        *p = saved;
        if (failed) return -1;
        if (saved == '\0') return 0;
    }
}

/* Runs in the vfork child: never returns. */
static inline void drover_child_run(const drover_spawn_request *r, int report_fd) {
    /* Default dispositions while everything is still blocked, so no handler of the agent ever runs
     * here. The raw call (a zeroed kernel sigaction is SIG_DFL) also reaches the signals glibc keeps
     * for itself (32, 33), which may arrive ignored from whoever started the agent. */
    unsigned long default_action[4] = { 0, 0, 0, 0 };
    for (int sig = 1; sig < 65; sig++) syscall(SYS_rt_sigaction, sig, default_action, NULL, 8);
    if (setpgid(0, 0) != 0) drover_child_fail(report_fd, DROVER_STEP_SETPGID, 0, errno);
    if (r->mount_count > 0) {
        if (syscall(SYS_unshare, DROVER_CLONE_NEWNS) != 0) drover_child_fail(report_fd, DROVER_STEP_UNSHARE, 0, errno);
        /* Nothing mounted here may propagate back to the host's namespace. */
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) drover_child_fail(report_fd, DROVER_STEP_PRIVATE, 0, errno);
        for (int i = 0; i < r->mount_count; i++) {
            const drover_bind_mount *m = &r->mounts[i];
            if (drover_child_mkdirs(m->target) != 0) drover_child_fail(report_fd, DROVER_STEP_MKDIR, i, errno);
            if (mount(m->source, m->target, NULL, MS_BIND | MS_REC, NULL) != 0) drover_child_fail(report_fd, DROVER_STEP_BIND, i, errno);
            if (!m->read_only) continue;
            /* A bind remount sets the mount's flags anew: keep nosuid/nodev/noexec of the source. */
            struct statfs info;
            unsigned long keep = statfs(m->target, &info) == 0 ? ((unsigned long)info.f_flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC)) : 0;
            if (mount(NULL, m->target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | keep, NULL) != 0) {
                drover_child_fail(report_fd, DROVER_STEP_READ_ONLY, i, errno);
            }
        }
    }
    if (r->candidates == NULL) _exit(0);
    if (r->working_directory != NULL && chdir(r->working_directory) != 0) drover_child_fail(report_fd, DROVER_STEP_CHDIR, 0, errno);
    if (drover_child_dup(r->stdin_fd, 0) != 0 || drover_child_dup(r->output_fd, 1) != 0 || drover_child_dup(r->output_fd, 2) != 0) {
        drover_child_fail(report_fd, DROVER_STEP_STDIO, 0, errno);
    }
    /* Everything else closes at exec (the report pipe too, which tells the parent exec worked). */
    syscall(SYS_close_range, 3U, ~0U, DROVER_CLOSE_RANGE_CLOEXEC);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /* execvp's rules: go on after ENOENT/ENOTDIR/EACCES (reporting EACCES if no candidate runs), stop at anything else. */
    int error = ENOENT, denied = 0;
    for (int i = 0; i < r->candidate_count; i++) {
        execve(r->candidates[i], r->argv, r->envp);
        error = errno;
        if (error == EACCES) denied = 1;
        else if (error != ENOENT && error != ENOTDIR) break;
    }
    if (denied && (error == ENOENT || error == ENOTDIR || error == EACCES)) error = EACCES;
    /* Blocked again so the report cannot be cut short by a signal's default action. */
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    drover_child_fail(report_fd, DROVER_STEP_EXEC, 0, error);
}

/* Starts the request's program in its own process group and, with mounts, its own mount namespace.
 * Returns the pid (failure->step 0), or -1 with *failure saying where and why (the child, if any,
 * is reaped). The calling thread's cgroups are the child's, as with posix_spawn. */
static inline pid_t drover_spawn_mounted(const drover_spawn_request *r, drover_spawn_failure *failure) {
    failure->step = 0;
    failure->index = 0;
    failure->error = 0;
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) {
        failure->error = errno;
        return -1;
    }
    sigset_t all, saved;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &saved);
    pid_t pid = vfork();
    if (pid == 0) drover_child_run(r, report[1]);
    int fork_error = errno;
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    close(report[1]);
    if (pid < 0) {
        close(report[0]);
        failure->error = fork_error;
        return -1;
    }
    /* vfork resumed us after the child's exec or exit: the pipe is at EOF or holds the report. */
    drover_spawn_failure reported;
    ssize_t got;
    do { got = read(report[0], &reported, sizeof reported); } while (got < 0 && errno == EINTR);
    close(report[0]);
    if (got == (ssize_t)sizeof reported) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        *failure = reported;
        return -1;
    }
    return pid;
}
#endif
