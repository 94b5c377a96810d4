"""Counting for scripts/chaos. Talks RESP to the loopback Redis itself (redis-py is not installed).

  chaos_figures.py events --events N --users U --chunk C --out DIR
      writes DIR/identify.jsonl (one identify with an email per user) and DIR/orders-NNNNN.jsonl
      (N "Chaos Order" tracks with unique messageIds, C per file)
  chaos_figures.py wait-idle --port P --smtp-log FILE [--timeout S] [--quiet S]
      waits until every consumer group of every stream has lag 0 and pending 0 and no timer is
      due, or nothing changed for --quiet seconds, or --timeout passed; prints which
  chaos_figures.py report --port P --smtp-log FILE --published N ... [--assert]
      prints the figures and the machine-readable `chaos:` line; with --assert exits 1 on fail
"""
import argparse
import collections
import datetime
import json
import os
import socket
import sys
import time

PREFIX = "herald"
ORDER_EVENT = "Chaos Order"
ORDER_ID_PREFIX = "chaos-order-"


class RedisError(Exception):
    pass


class Redis:
    """The smallest RESP2 client: one connection, commands and pipelines."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.file = self.sock.makefile("rb")

    def _encode(self, args):
        parts = [b"*%d\r\n" % len(args)]
        for arg in args:
            data = arg if isinstance(arg, bytes) else str(arg).encode()
            parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
        return b"".join(parts)

    def _read(self):
        line = self.file.readline()
        if not line:
            raise ConnectionError("redis closed the connection")
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            return RedisError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            size = int(rest)
            if size < 0:
                return None
            data = self.file.read(size + 2)[:-2]
            return data.decode("utf-8", "replace")
        if kind == b"*":
            size = int(rest)
            return None if size < 0 else [self._read() for _ in range(size)]
        raise RedisError("unexpected reply %r" % line)

    def pipeline(self, commands):
        if not commands:
            return []
        self.sock.sendall(b"".join(self._encode(c) for c in commands))
        return [self._read() for _ in commands]

    def call(self, *args):
        reply = self.pipeline([args])[0]
        if isinstance(reply, RedisError):
            raise reply
        return reply

    def scan(self, match, kind):
        cursor, keys = "0", []
        while True:
            cursor, batch = self.call("SCAN", cursor, "MATCH", match, "TYPE", kind, "COUNT", 1000)
            keys += batch
            if cursor == "0":
                return sorted(set(keys))


def fields(flat):
    """A RESP field/value list as a dict."""
    return dict(zip(flat[0::2], flat[1::2])) if flat else {}


# ---- events -------------------------------------------------------------------------------------

def user_id(n):
    return "chaos-u%05d" % n


def write_events(args):
    os.makedirs(args.out, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    with open(os.path.join(args.out, "identify.jsonl"), "w") as out:
        for u in range(args.users):
            out.write(json.dumps({
                "type": "identify", "messageId": "chaos-identify-%05d" % u, "userId": user_id(u),
                "traits": {"email": "%s@chaos.test" % user_id(u), "firstName": "Chaos %d" % u},
                "timestamp": now}) + "\n")
    chunks = (args.events + args.chunk - 1) // args.chunk
    for c in range(chunks):
        with open(os.path.join(args.out, "orders-%05d.jsonl" % c), "w") as out:
            for n in range(c * args.chunk, min(args.events, (c + 1) * args.chunk)):
                out.write(json.dumps({
                    "type": "track", "messageId": "%s%06d" % (ORDER_ID_PREFIX, n), "userId": user_id(n % args.users),
                    "event": ORDER_EVENT, "properties": {"order_id": "o-%06d" % n, "total": 10 + n % 90},
                    "timestamp": now}) + "\n")
    print(chunks)


# ---- fleet state --------------------------------------------------------------------------------

def groups_state(redis):
    """Per stream and group: lag (None when the group is behind by an unknown count) and pending."""
    rows = []
    streams = redis.scan(PREFIX + ":*", "stream")
    infos = redis.pipeline([("XINFO", "GROUPS", s) for s in streams])
    tails = redis.pipeline([("XINFO", "STREAM", s) for s in streams])
    for stream, groups, tail in zip(streams, infos, tails):
        if isinstance(groups, RedisError) or isinstance(tail, RedisError):
            continue
        last_generated = fields(tail).get("last-generated-id")
        for group in groups:
            info = fields(group)
            # A group that was handed the newest id has nothing left to read. Redis's own `lag` is
            # an estimate: missing after deletions, and stale (too high) after an AOF reload.
            if info.get("last-delivered-id") == last_generated:
                lag = 0
            else:
                lag = info.get("lag") or None
            rows.append((stream, info.get("name"), lag, int(info.get("pending") or 0)))
    return rows


def timers_due(redis):
    now = int(time.time() * 1000)
    keys = redis.scan(PREFIX + ":{p*}:timers", "zset")
    due = redis.pipeline([("ZCOUNT", k, "-inf", now) for k in keys])
    total = redis.pipeline([("ZCARD", k) for k in keys])
    return sum(d for d in due if isinstance(d, int)), sum(t for t in total if isinstance(t, int))


def count_lines(path):
    try:
        with open(path, "rb") as handle:
            return sum(1 for _ in handle)
    except FileNotFoundError:
        return 0


def snapshot(redis, smtp_log):
    rows = groups_state(redis)
    due, timers = timers_due(redis)
    lag = sum(r[2] for r in rows if r[2] is not None)
    unknown = sum(1 for r in rows if r[2] is None)
    pending = sum(r[3] for r in rows)
    deliveries = redis.call("XLEN", PREFIX + ":deliveries")
    state = {"lag": lag, "lag_unknown": unknown, "pending": pending, "due": due, "timers": timers,
             "deliveries": deliveries, "calls": count_lines(smtp_log)}
    idle = lag == 0 and unknown == 0 and pending == 0 and due == 0
    return idle, state


def wait_idle(args):
    started = time.time()
    last_change, previous, last_print = started, None, 0.0
    while True:
        try:
            idle, state = snapshot(Redis(args.port), args.smtp_log)
        except (OSError, RedisError) as error:
            idle, state = False, {"error": str(error)}
        now = time.time()
        if state != previous:
            previous, last_change = state, now
        described = " ".join("%s=%s" % item for item in state.items())
        if idle:
            print("idle after %.0f s: %s" % (now - started, described))
            return 0
        if now - last_change >= args.quiet:
            print("settled, not idle, after %.0f s (nothing changed for %d s): %s" % (now - started, args.quiet, described))
            return 0
        if now - started >= args.timeout:
            print("still busy after %d s: %s" % (args.timeout, described))
            return 0
        if now - last_print >= 10:
            print("  waiting: " + described, file=sys.stderr, flush=True)
            last_print = now
        time.sleep(1)


# ---- report -------------------------------------------------------------------------------------

def accepted_message_ids(redis):
    """Distinct messageIds the ingestor accepted: its dedupe sets, written atomically with the
    partition XADD (the partition streams themselves are trimmed once acknowledged)."""
    ids = set()
    for key in redis.scan(PREFIX + ":{p*}:dedupe", "zset"):
        ids.update(redis.call("ZRANGE", key, 0, -1))
    return ids


def journey_counters(redis):
    totals = collections.Counter()
    for key in redis.scan(PREFIX + ":{p*}:stats:chaos-order", "hash"):
        for name, value in fields(redis.call("HGETALL", key)).items():
            totals[name] += float(value)
    return totals


def stream_entries(redis, stream):
    start = "-"
    while True:
        batch = redis.call("XRANGE", stream, start, "+", "COUNT", 5000)
        for entry_id, flat in batch:
            yield entry_id, fields(flat)
        if len(batch) < 5000:
            return
        last = batch[-1][0]
        ms, seq = last.split("-")
        start = "%s-%d" % (ms, int(seq) + 1)


def smtp_calls(path):
    keys = []
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 2:
                    keys.append(parts[1])
    except FileNotFoundError:
        pass
    return keys


def report(args):
    redis = Redis(args.port)
    accepted_ids = accepted_message_ids(redis)
    accepted = sum(1 for m in accepted_ids if m.startswith(ORDER_ID_PREFIX))
    identifies = sum(1 for m in accepted_ids if m.startswith("chaos-identify-"))
    rejected = redis.call("XLEN", PREFIX + ":rejected")
    counters = journey_counters(redis)
    expected = accepted  # one send step, re-entry always: one send per accepted order
    keys = smtp_calls(args.smtp_log)
    calls = len(keys)
    distinct = len(set(keys))
    lost = expected - distinct
    duplicates = calls - distinct
    inflight_bound = args.sender_kills * args.send_concurrency
    dead_letters = redis.call("XLEN", PREFIX + ":dead-letter")
    dead_by_reason = collections.Counter()
    dead_keys = set()
    for _, entry in stream_entries(redis, PREFIX + ":dead-letter"):
        stream = entry.get("stream", "?")
        kind = stream.split(":")[-1] if "outbox" not in stream else "outbox:" + stream.split(":")[-1]
        reason = entry.get("error", "?")
        dead_by_reason["%s: %s" % (kind, reason[:90])] += 1
        request = entry.get("original.request") or entry.get("request")
        if request:
            try:
                dead_keys.add(json.loads(request)["idempotencyKey"])
            except (ValueError, KeyError):
                pass
    dead_delivered = len(dead_keys & set(keys))
    rows = groups_state(redis)
    pending = sum(r[3] for r in rows)
    lag = sum(r[2] for r in rows if r[2] is not None)
    due, timers = timers_due(redis)
    statuses = collections.Counter()
    sent_ids = collections.Counter()
    for _, entry in stream_entries(redis, PREFIX + ":deliveries"):
        statuses[entry.get("status", "?")] += 1
        if entry.get("status") == "sent":
            sent_ids[entry.get("id")] += 1
    ingest_lost = args.published - accepted
    result = "pass" if (lost == 0 and ingest_lost == 0 and duplicates <= inflight_bound and pending == 0
                        and dead_letters == 0) else "fail"

    def line(name, value, meaning=""):
        print("%-22s %10s%s" % (name, value, "   " + meaning if meaning else ""))

    line("published", args.published, "Chaos Order events the producer published (plus %d identifies, %d chunk re-sends)"
         % (args.identifies, args.republished))
    line("accepted", accepted, "distinct order messageIds in the partitions' dedupe sets (%d identifies)" % identifies)
    line("rejected", rejected, "XLEN herald:rejected")
    line("ingest lost", ingest_lost, "published - accepted")
    line("send requests", int(counters.get("receipt:sent", 0)), "journey stats receipt:sent (evaluator); entered %d, not entered %d"
         % (counters.get("receipt:entered", 0) + counters.get("_:entered", 0), counters.get("_:notEntered", 0)))
    line("expected sends", expected, "one per accepted order")
    line("provider calls", calls, "accepted DATA lines in the SMTP peer's log")
    line("distinct sends", distinct, "distinct X-Herald-Idempotency-Key values in that log")
    line("lost", lost, "expected - distinct")
    line("duplicates", duplicates, "calls - distinct")
    line("kills", args.kills, "kill -9 of a worker, %d of them email senders; %d exited on their own"
         % (args.sender_kills, args.crashes))
    line("in-flight bound", inflight_bound, "sender kills x HERALD_SEND_CONCURRENCY (%d)" % args.send_concurrency)
    line("redis restarts", args.redis_restarts, "kill -9 of redis-server, restarted on its AOF")
    line("dead letters", dead_letters, "XLEN herald:dead-letter")
    for reason, count in dead_by_reason.most_common(6):
        print("%-22s %10d   %s" % ("", count, reason))
    if dead_keys:
        print("%-22s %10d   %s" % ("", dead_delivered, "of the dead-lettered send requests were in the SMTP log (delivered, "
                                   "but never recorded sent); %d were never delivered" % (len(dead_keys) - dead_delivered)))
    line("pending entries", pending, "unacknowledged entries over every group (lag %d, timers due %d of %d)" % (lag, due, timers))
    print("%-22s %10s   %s" % ("deliveries by status", sum(statuses.values()), "records in herald:deliveries"))
    for status, count in sorted(statuses.items(), key=lambda item: -item[1]):
        print("%-22s %10d" % ("  " + status, count))
    line("sent twice (records)", sum(c - 1 for c in sent_ids.values() if c > 1), "extra 'sent' records for a key already recorded sent")
    line("seconds", args.seconds, "publish start to idle")
    print("chaos: events=%d accepted=%d rejected=%d expected=%d calls=%d distinct=%d lost=%d duplicates=%d inflight_bound=%d "
          "kills=%d sender_kills=%d dead_letters=%d pending=%d redis_restarts=%d seconds=%d result=%s"
          % (args.published, accepted, rejected, expected, calls, distinct, lost, duplicates, inflight_bound,
             args.kills, args.sender_kills, dead_letters, pending, args.redis_restarts, args.seconds, result))
    return 1 if args.assert_ and result != "pass" else 0


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    events = commands.add_parser("events")
    events.add_argument("--events", type=int, required=True)
    events.add_argument("--users", type=int, required=True)
    events.add_argument("--chunk", type=int, required=True)
    events.add_argument("--out", required=True)
    idle = commands.add_parser("wait-idle")
    idle.add_argument("--port", type=int, required=True)
    idle.add_argument("--smtp-log", required=True)
    idle.add_argument("--timeout", type=int, default=180)
    idle.add_argument("--quiet", type=int, default=30)
    figures = commands.add_parser("report")
    figures.add_argument("--port", type=int, required=True)
    figures.add_argument("--smtp-log", required=True)
    for name in ("published", "identifies", "republished", "kills", "sender-kills", "crashes", "send-concurrency",
                 "redis-restarts", "seconds"):
        figures.add_argument("--" + name, type=int, default=0)
    figures.add_argument("--assert", dest="assert_", action="store_true")
    args = parser.parse_args()
    if args.command == "events":
        write_events(args)
        return 0
    if args.command == "wait-idle":
        return wait_idle(args)
    return report(args)


if __name__ == "__main__":
    sys.exit(main())
