"""Holds N keep-alive connections to the API server idle (each after one answered request),
spread over several loopback source addresses, reopening each as soon as the server closes it
(an attacker that simply reconnects), until killed: the load beside which bench/api measures GET
throughput again."""
import resource, selectors, socket, sys, time

port, count, token = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
request = f"GET /healthz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode()
selector = selectors.DefaultSelector()

def open_one(i):
    s = socket.socket()
    s.bind((f"127.0.0.{2 + i // 400}", 0))   # 400 per address: within the default per-client share
    s.connect(("127.0.0.1", port))
    s.sendall(request)
    s.recv(4096)
    selector.register(s, selectors.EVENT_READ, i)

for i in range(count):
    open_one(i)
print(f"holding {count} idle keep-alive connections", flush=True)
reopened = 0
while True:
    for key, _ in selector.select(timeout=1):
        s, i = key.fileobj, key.data
        if not s.recv(4096):   # closed by the server: reopen at once
            selector.unregister(s)
            s.close()
            open_one(i)
            reopened += 1
    if reopened:
        print(f"reopened {reopened} so far", flush=True)
