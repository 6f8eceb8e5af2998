#include <stdarg.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <microhttpd.h>

/* MHD_get_daemon_info is variadic and cannot be called from Swift; these wrappers can. */
static inline uint16_t drover_mhd_bound_port(struct MHD_Daemon *d) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

/* Callback types MHD takes only through its untyped option list, declared here so Swift can write them
 * (a Swift-declared @convention(c) type cannot have a va_list parameter). */
typedef void (*drover_mhd_logger)(void *cls, const char *format, va_list arguments);
typedef void *(*drover_mhd_uri_logger)(void *cls, const char *uri, struct MHD_Connection *connection);
