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

/* MHD_get_connection_info is variadic too. */
static inline int drover_mhd_connection_socket(struct MHD_Connection *c) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    return info ? info->connect_fd : -1;
}

static inline const struct sockaddr *drover_mhd_client_address(struct MHD_Connection *c) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info ? info->client_addr : NULL;
}

/* The pointer the connection-started notification stored for the connection. */
static inline void *drover_mhd_socket_context(struct MHD_Connection *c) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return info ? info->socket_context : NULL;
}
