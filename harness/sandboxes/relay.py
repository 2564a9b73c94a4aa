"""Inside a sample's sandbox (no network): a TCP port on its own loopback relayed to the metering proxy's Unix
socket, bound in from the host. An agent's HTTP client needs a URL; this is the only route out it gets.

    python3 -I -S relay.py PORT SOCKET READY_FILE
    python3 -I -S relay.py --to PORT SOCKET READY_FILE     the other way: the Unix socket to the loopback's PORT

The second brings a service the agent left listening in its container to its verifier's twin (container.py).
"""

import asyncio
import sys


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


async def main(port: int, sock: str, ready: str, to_port: bool = False) -> None:
    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            up_r, up_w = await (asyncio.open_connection("127.0.0.1", port) if to_port
                                else asyncio.open_unix_connection(sock))
        except OSError:
            client_w.close()
            return
        await asyncio.gather(pipe(client_r, up_w), pipe(up_r, client_w))

    server = await (asyncio.start_unix_server(handle, sock) if to_port else asyncio.start_server(handle, "127.0.0.1", port))
    with open(ready, "w"):
        pass
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    to = sys.argv[1] == "--to"
    args = sys.argv[2:] if to else sys.argv[1:]
    asyncio.run(main(int(args[0]), args[1], args[2], to))
