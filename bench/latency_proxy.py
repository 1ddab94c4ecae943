#!/usr/bin/env python3
"""A TCP proxy on loopback that adds latency and counts round trips.

    latency_proxy.py LISTEN_PORT UPSTREAM_HOST UPSTREAM_PORT RTT_MS STATS_FILE [LISTEN_ADDR]

Each byte is delayed by RTT/2 in each direction, without serialising chunks
(pipelined traffic stays pipelined). A round trip is counted each time the
client sends after the server last spoke (or at the start): the number of
times a client had to wait for an answer. One line per connection goes to
STATS_FILE when it closes: "round_trips=N up=BYTES down=BYTES".
"""
import asyncio
import sys
import time

LISTEN_PORT, UP_HOST, UP_PORT, RTT_MS, STATS = (
    int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5])
LISTEN_ADDR = sys.argv[6] if len(sys.argv) > 6 else "127.0.0.1"
HALF = RTT_MS / 2000.0
for a in (UP_HOST, LISTEN_ADDR):
    assert a.startswith("127.") or a in ("localhost", "::1"), "loopback only"


async def pump(reader, writer, state, direction):
    queue = asyncio.Queue()

    async def deliver():
        while True:
            due, data = await queue.get()
            if data is None:
                try:
                    writer.write_eof()
                except (OSError, RuntimeError):
                    pass
                return
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            writer.write(data)
            await writer.drain()

    task = asyncio.create_task(deliver())
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            if direction == "up":
                if state["last"] != "up":
                    state["round_trips"] += 1
                state["up"] += len(data)
            else:
                state["down"] += len(data)
            state["last"] = direction
            queue.put_nowait((time.monotonic() + HALF, data))
    except (ConnectionResetError, OSError):
        pass
    queue.put_nowait((0, None))
    try:
        await task
    except (ConnectionResetError, OSError, BrokenPipeError):
        pass


# Strong references: asyncio keeps only weak ones to running tasks, and a
# connection's tasks would otherwise be collected while they still wait.
LIVE = set()


async def handle(client_reader, client_writer):
    me = asyncio.current_task()
    LIVE.add(me)
    try:
        await relay(client_reader, client_writer)
    finally:
        LIVE.discard(me)


async def relay(client_reader, client_writer):
    state = {"round_trips": 0, "up": 0, "down": 0, "last": None}
    up_reader, up_writer = await asyncio.open_connection(UP_HOST, UP_PORT)
    await asyncio.gather(
        pump(client_reader, up_writer, state, "up"),
        pump(up_reader, client_writer, state, "down"),
    )
    client_writer.close()
    up_writer.close()
    with open(STATS, "a") as f:
        f.write(f"round_trips={state['round_trips']} up={state['up']} down={state['down']}\n")


async def main():
    server = await asyncio.start_server(handle, LISTEN_ADDR, LISTEN_PORT)
    # Whoever started the proxy waits for this line: it accepts from now on.
    print("listening", flush=True)
    async with server:
        await server.serve_forever()

asyncio.run(main())
