// GnuTLS's symmetric crypto library (already linked by libmicrohttpd through GnuTLS): AES-GCM for
// Secrets at rest, and its constant-time comparison for the authentication tag.
#include <nettle/gcm.h>
#include <nettle/memops.h>
