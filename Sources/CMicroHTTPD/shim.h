#ifndef HERALD_CMICROHTTPD_SHIM_H
#define HERALD_CMICROHTTPD_SHIM_H
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <microhttpd.h>

// MHD_start_daemon, MHD_get_connection_info and MHD_get_daemon_info are variadic, which Swift
// cannot call; these fixed-argument wrappers pass exactly the options Herald uses.

/// Where libmicrohttpd's own messages go, already formatted (Swift cannot take a va_list).
typedef void (*herald_mhd_log_sink)(void *context, const char *message);

/// A log sink and its context, alive as long as the daemon.
struct herald_mhd_logger {
    herald_mhd_log_sink sink;
    void *context;
};

static void herald_mhd_log(void *cls, const char *format, va_list arguments) {
    struct herald_mhd_logger *logger = (struct herald_mhd_logger *)cls;
    char message[512];
    vsnprintf(message, sizeof message, format, arguments);
    logger->sink(logger->context, message);
}

/// The callbacks and their shared context (one pointer for all).
struct herald_mhd_callbacks {
    MHD_AccessHandlerCallback access;
    MHD_RequestCompletedCallback completed;
    void *(*uri_log)(void *cls, const char *uri, struct MHD_Connection *connection);
    MHD_NotifyConnectionCallback connection;
    void *context;
};

/// The limits Herald sets on every daemon.
struct herald_mhd_limits {
    unsigned int connection_timeout_seconds;
    size_t connection_memory_limit;
    unsigned int connection_limit;
    unsigned int per_ip_connection_limit;
    unsigned int thread_pool_size;
    unsigned int listen_backlog;
};

static inline struct MHD_Daemon *herald_mhd_start(
    unsigned int flags, const struct sockaddr *bind_address, struct herald_mhd_callbacks callbacks,
    struct herald_mhd_limits limits, struct herald_mhd_logger *logger) {
    return MHD_start_daemon(
        flags, 0, NULL, NULL, callbacks.access, callbacks.context,
        MHD_OPTION_EXTERNAL_LOGGER, herald_mhd_log, (void *)logger,
        MHD_OPTION_NOTIFY_COMPLETED, callbacks.completed, callbacks.context,
        MHD_OPTION_URI_LOG_CALLBACK, callbacks.uri_log, callbacks.context,
        MHD_OPTION_NOTIFY_CONNECTION, callbacks.connection, callbacks.context,
        MHD_OPTION_CONNECTION_TIMEOUT, limits.connection_timeout_seconds,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, limits.connection_memory_limit,
        MHD_OPTION_CONNECTION_LIMIT, limits.connection_limit,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, limits.per_ip_connection_limit,
        MHD_OPTION_THREAD_POOL_SIZE, limits.thread_pool_size,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, limits.listen_backlog,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned int)1,
        MHD_OPTION_SOCK_ADDR, bind_address,
        MHD_OPTION_END);
}

static inline uint16_t herald_mhd_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info ? info->port : 0;
}

static inline const struct sockaddr *herald_mhd_client_address(struct MHD_Connection *connection) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info ? info->client_addr : NULL;
}
#endif
