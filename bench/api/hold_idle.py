"""Holds N idle keep-alive connections to the API server (each after one answered request), spread
over several loopback source addresses, until killed: the load beside which bench/api measures GET
throughput again."""
import resource, socket, sys, time

port, count, token = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
request = f"GET /healthz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n".encode()
held = []
for i in range(count):
    s = socket.socket()
    s.bind((f"127.0.0.{2 + i // 400}", 0))   # 400 per address: within the default per-client share
    s.connect(("127.0.0.1", port))
    s.sendall(request)
    s.recv(4096)
    held.append(s)
print(f"holding {len(held)} idle keep-alive connections", flush=True)
while True:
    time.sleep(3600)
