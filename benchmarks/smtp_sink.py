"""A small SMTP sink for benchmarks: accepts every message on 127.0.0.1, counts messages and
recipients (and any recipient seen twice), writes the counts to a JSON file and stops by
itself once nothing has arrived for ``--idle`` seconds (or on SIGTERM).

    python benchmarks/smtp_sink.py --port 2525 --report /tmp/sink.json --idle 120

Plain asyncio, not aiosmtpd: the benchmark measures the portal's sending, so the sink does as
little per message as SMTP allows (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT).
"""

import argparse
import asyncio
import contextlib
import json
import os
import signal
import time


class Sink:
    def __init__(self):
        self.messages = 0
        self.recipients: set[str] = set()
        self.duplicates = 0
        self.last_activity = time.monotonic()
        self.connections = 0
        self.started = None

    async def session(self, reader, writer):
        self.connections += 1
        writer.write(b"220 sink ESMTP\r\n")
        rcpt: list[str] = []
        while True:
            line = await reader.readline()
            if not line:
                break
            self.last_activity = time.monotonic()
            command = line[:4].upper()
            if command in (b"EHLO", b"HELO"):
                writer.write(
                    b"250-sink\r\n250 8BITMIME\r\n" if command == b"EHLO" else b"250 sink\r\n"
                )
            elif command == b"MAIL":
                rcpt = []
                writer.write(b"250 OK\r\n")
            elif command == b"RCPT":
                address = line[8:].strip().strip(b"<>").decode().lower()
                rcpt.append(address)
                writer.write(b"250 OK\r\n")
            elif command == b"DATA":
                writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                await writer.drain()
                while (await reader.readline()) not in (b".\r\n", b""):
                    pass
                self.started = self.started or time.monotonic()
                self.messages += 1
                for address in rcpt:
                    if address in self.recipients:
                        self.duplicates += 1
                    self.recipients.add(address)
                writer.write(b"250 OK queued\r\n")
            elif command == b"QUIT":
                writer.write(b"221 Bye\r\n")
                await writer.drain()
                break
            else:  # RSET, NOOP and anything else
                writer.write(b"250 OK\r\n")
            await writer.drain()
        writer.close()

    def report(self) -> dict:
        return {
            "messages": self.messages,
            "distinct_recipients": len(self.recipients),
            "duplicate_recipients": self.duplicates,
            "connections": self.connections,
        }


def write_report(path: str, sink: Sink) -> None:
    """Whole or not at all: written beside, then renamed over the report."""
    with open(path + ".part", "w") as out:
        json.dump(sink.report(), out)
    os.replace(path + ".part", path)


async def serve(port: int, report: str, idle: float) -> None:
    sink = Sink()
    server = await asyncio.start_server(sink.session, "127.0.0.1", port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=1.0)
        write_report(report, sink)  # every second: a reader sees the counts so far
        if time.monotonic() - sink.last_activity > idle:
            break
    server.close()
    write_report(report, sink)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--report", required=True)
    parser.add_argument("--idle", type=float, default=300.0, help="stop after this many idle s")
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.report, args.idle))


if __name__ == "__main__":
    main()
