"""scripts/soak's driver: publishes rounds of events into a running fleet, waits for it to be idle
after each, and prints Redis memory per round, per event, per user and per key family, RSS per
process, and an extrapolation to 10 M users and 1 B events a month. With the run's windows given
(--run-*), it also measures after each round whether every time and count window is full, and
prints the growth per event over the rounds after they all are (the steady state), with and without
the part that belongs to the new users. Standard library only."""
import argparse, json, os, re, socket, sys, time

class Redis:
    """A minimal RESP2 client: enough for INFO, SCAN, MEMORY USAGE, XINFO and pipelined XADD."""
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.buf = b""
    @staticmethod
    def encode(*args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        return b"".join(out)
    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(1 << 20)
            if not chunk: raise ConnectionError("redis closed the connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line
    def _exact(self, n):
        while len(self.buf) < n + 2:
            chunk = self.sock.recv(1 << 20)
            if not chunk: raise ConnectionError("redis closed the connection")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data
    def read(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+": return rest.decode()
        if kind == b"-": raise RuntimeError(rest.decode())
        if kind == b":": return int(rest)
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else self._exact(n)
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise RuntimeError("unexpected reply %r" % line)
    def call(self, *args):
        self.sock.sendall(self.encode(*args))
        return self.read()
    def pipeline(self, commands):
        self.sock.sendall(b"".join(self.encode(*c) for c in commands))
        replies = []
        for _ in commands:
            try: replies.append(self.read())
            except RuntimeError as error: replies.append(error)
        return replies

def info(r, section):
    text = r.call("INFO", section).decode()
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line and not line.startswith("#"))

def fields(reply):
    return {reply[i].decode(): reply[i + 1] for i in range(0, len(reply) - 1, 2)}

def scan(r, match):
    cursor, keys = b"0", []
    while True:
        cursor, batch = r.call("SCAN", cursor, "MATCH", match, "COUNT", 5000)
        keys += batch
        if cursor == b"0": return keys

def family(key, prefix):
    text = key.decode(errors="replace")
    if not text.startswith(prefix + ":"): return "(other)"
    rest = text[len(prefix) + 1:]
    match = re.match(r"\{p\d+\}:(.*)", rest)
    if match:
        parts = match.group(1).split(":")
        name = parts[0]
        if name in ("outbox", "stats") and len(parts) > 1: name += ":" + (parts[1] if name == "outbox" else "*")
        return "{pN}:" + name
    if rest.startswith("{rl:"): return "{rl}:tat"
    return rest

APPLIED_RETENTION_S = 900
# Families bounded by a time or count window: they grow per event until the window is full.
WINDOWED = {"{pN}:dedupe", "{pN}:applied", "{pN}:sent", "deliveries", "rejected", "dead-letter", "ingest", "{pN}:events",
            "{pN}:outbox:email", "{pN}:outbox:sms", "{pN}:outbox:push", "{pN}:outbox:webhook", "{pN}:outbox:inapp"}
PER_USER = {"{pN}:profile", "{pN}:state", "{pN}:activity", "{pN}:trail-log", "{pN}:trail", "{pN}:caps", "{pN}:suppression", "{pN}:inbox", "{pN}:inbox-unread",
            "{pN}:timers", "{pN}:timer-payloads"}

def members(r, command, key, match):
    """How many members of the sorted set or hash `key` match `match` (ZSCAN or HSCAN)."""
    cursor, count = b"0", 0
    while True:
        cursor, batch = r.call(command, key, cursor, "MATCH", match, "COUNT", 2000)
        count += len(batch) // 2
        if cursor == b"0": return count

# Shared per-partition sets and hashes that hold one member per user or per pending timer.
SHARED_PER_USER = (("{pN}:activity", "ZSCAN", "ZCARD", "activity"), ("{pN}:timers", "ZSCAN", "ZCARD", "timers"),
                   ("{pN}:timer-payloads", "HSCAN", "HLEN", "timer-payloads"))

def new_user_bytes(r, prefix, partitions, usage, marker="soak-r"):
    """Bytes that belong to the new users (named `soak-r<round>-n<i>`): their own keys, by MEMORY
    USAGE, and their share of the partitions' shared sets (their members times the family's bytes
    per member)."""
    keys = scan(r, "%s:{p*}:*%s*" % (prefix, marker))
    own = 0
    for start in range(0, len(keys), 2000):
        own += sum(u for u in r.pipeline([("MEMORY", "USAGE", k, "SAMPLES", 5) for k in keys[start:start + 2000]]) if isinstance(u, int))
    shared = 0
    for name, scan_command, count_command, suffix in SHARED_PER_USER:
        total_bytes = usage.get(name, (0, 0))[1]
        if not total_bytes: continue
        keys_of = ["%s:{p%d}:%s" % (prefix, p, suffix) for p in range(partitions)]
        total = sum(n for n in r.pipeline([(count_command, k) for k in keys_of]) if isinstance(n, int))
        theirs = sum(members(r, scan_command, k, "*%s*" % marker) for k in keys_of)
        shared += total_bytes * theirs / max(1, total)
    return own + shared

def windows_full(r, a, first_round_end_ms, first_sent):
    """Measured, per window: whether it is full, i.e. drops as much as it takes. A time window is
    full once it no longer holds anything the first round wrote (its oldest member is younger than
    the end of round 1, or none of round 1's sent: markers is left); a count window once it is at
    its count."""
    state = {}
    def oldest(suffix):
        replies = r.pipeline([("ZRANGE", "%s:{p%d}:%s" % (a.prefix, p, suffix), 0, 0, "WITHSCORES") for p in range(a.partitions)])
        scores = [float(x[1]) for x in replies if isinstance(x, list) and len(x) == 2]
        return min(scores) if scores else None
    if a.run_dedupe_window_ms:
        at = oldest("dedupe"); state["dedupe"] = at is not None and at > first_round_end_ms
    if a.run_applied_window_ms:
        at = oldest("applied"); state["applied"] = at is not None and at > first_round_end_ms
    if a.run_sent_retention_ms:
        left = sum(1 for n in r.pipeline([("EXISTS", k) for k in first_sent]) if n == 1) if first_sent else None
        state["sent"] = left == 0
    if a.run_deliveries_max:
        state["deliveries"] = (r.call("XLEN", a.prefix + ":deliveries") or 0) >= a.run_deliveries_max
    if a.run_trail_max:
        keys = scan(r, a.prefix + ":{p*}:trail-log:soak-u*")
        lengths = [n for n in r.pipeline([("LLEN", k) for k in keys]) if isinstance(n, int)] if keys else []
        # Events alternate between Order Completed and Product Viewed, so with an even pool only
        # half of its users have a trail: every pool user's trail that exists is at the count.
        state["trail"] = bool(lengths) and all(n >= a.run_trail_max for n in lengths)
    return state

def families(r, prefix):
    keys = scan(r, prefix + ":*")
    usage = {}
    for start in range(0, len(keys), 2000):
        chunk = keys[start:start + 2000]
        replies = r.pipeline([("MEMORY", "USAGE", k, "SAMPLES", 5) for k in chunk])
        for key, used in zip(chunk, replies):
            name = family(key, prefix)
            count, total = usage.get(name, (0, 0))
            usage[name] = (count + 1, total + (used if isinstance(used, int) else 0))
    return usage

def idle(r, prefix, partitions):
    streams = [prefix + ":ingest"] + ["%s:{p%d}:events" % (prefix, p) for p in range(partitions)]
    streams += ["%s:{p%d}:outbox:%s" % (prefix, p, c) for p in range(partitions) for c in ("email", "sms", "push", "webhook", "inapp")]
    replies = r.pipeline([("XINFO", "GROUPS", s) for s in streams])
    lengths = r.pipeline([("XLEN", s) for s in streams])
    for reply, length in zip(replies, lengths):
        if isinstance(reply, Exception) or reply is None: continue
        for group in reply:
            g = fields(group)
            if (g.get("lag") or 0) != 0 or (g.get("pending") or 0) != 0: return False
        # Consumed and trimmed (each claim round): what is left is at most the newest 100-entry node.
        if isinstance(length, int) and length > 100: return False
    now = int(time.time() * 1000)
    due = r.pipeline([("ZCOUNT", "%s:{p%d}:timers" % (prefix, p), "-inf", now) for p in range(partitions)])
    return all(d == 0 for d in due if isinstance(d, int))

def wait_idle(r, prefix, partitions, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if idle(r, prefix, partitions): return True
        time.sleep(0.25)
    return False

def publish(r, prefix, round_no, events, users, new_users):
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    commands = []
    for i in range(new_users):
        user = "soak-r%d-n%d" % (round_no, i)
        traits = {"email": user + "@example.com", "firstName": "Soak", "timezone": "UTC", "locale": "en-US"}
        commands.append(("XADD", prefix + ":ingest", "*", "event", json.dumps({"type": "identify", "messageId": "id-%d-%d" % (round_no, i), "userId": user, "traits": traits, "timestamp": now})))
        commands.append(("XADD", prefix + ":ingest", "*", "event", json.dumps({"type": "track", "messageId": "su-%d-%d" % (round_no, i), "userId": user, "event": "Signed Up", "timestamp": now})))
    for i in range(events):
        user = "soak-u%d" % (i % users)
        if i % 2 == 0:
            payload = {"type": "track", "messageId": "ev-%d-%d" % (round_no, i), "userId": user, "event": "Order Completed",
                       "properties": {"order_id": "o-%d-%d" % (round_no, i), "total": 42.5, "items": [{"name": "Kettle", "price": 42.5, "quantity": 1}]}, "timestamp": now}
        else:
            payload = {"type": "track", "messageId": "ev-%d-%d" % (round_no, i), "userId": user, "event": "Product Viewed", "properties": {"sku": "k-%d" % (i % 97)}, "timestamp": now}
        commands.append(("XADD", prefix + ":ingest", "*", "event", json.dumps(payload)))
    for start in range(0, len(commands), 5000):
        for reply in r.pipeline(commands[start:start + 5000]):
            if isinstance(reply, Exception): raise reply

def publish_probe(r, prefix, round_no, users, pool):
    """One Order Completed for each of `users` of the pool's users who send Order Completed anyway
    (`soak-u0`, `soak-u2`, …), just before measuring: the dedupe and applied sets drop what is
    older than their window only when an id is added, so this makes every partition's sets hold
    exactly their window at the moment of measurement. Returns the events published."""
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    commands = [("XADD", prefix + ":ingest", "*", "event", json.dumps({
        "type": "track", "messageId": "probe-%d-%d" % (round_no, i), "userId": "soak-u%d" % ((2 * i) % pool), "event": "Order Completed",
        "properties": {"order_id": "p-%d-%d" % (round_no, i), "total": 1.0, "items": [{"name": "Probe", "price": 1.0, "quantity": 1}]},
        "timestamp": now})) for i in range(users)]
    for reply in r.pipeline(commands):
        if isinstance(reply, Exception): raise reply
    return users

def rss(pids):
    out = {}
    for item in pids:
        name, pid = item.split("=")
        try:
            with open("/proc/%s/status" % pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"): out[name] = int(line.split()[1]) * 1024
        except OSError:
            out[name] = None
    return out

def human(n):
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(n) < 1024 or unit == "TB": return ("%.0f %s" % (n, unit)) if unit == "B" else ("%.2f %s" % (n, unit))
        n /= 1024.0

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--prefix", default="herald")
    parser.add_argument("--partitions", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--events", type=int, default=20000)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--new-users", type=int, default=1000)
    parser.add_argument("--timeout", type=int, default=600)
    parser.add_argument("--dedupe-window-ms", type=int, default=86400000)
    parser.add_argument("--dedupe-capacity", type=int, default=100000)
    parser.add_argument("--sent-retention-s", type=float, default=5 * 95 + 86400)
    parser.add_argument("--trail-max", type=int, default=200)
    parser.add_argument("--month-trail-max", type=int, default=None, help="the trail count the extrapolation assumes (default --trail-max)")
    parser.add_argument("--trail-max-age-days", type=float, default=90)
    parser.add_argument("--pid", action="append", default=[])
    # The windows the fleet runs with when they are shortened (scripts/soak --steady): the steady
    # state is measured once every one of them is full. The extrapolation keeps the defaults above.
    parser.add_argument("--run-dedupe-window-ms", type=int, default=0)
    parser.add_argument("--run-applied-window-ms", type=int, default=0)
    parser.add_argument("--run-sent-retention-ms", type=int, default=0)
    parser.add_argument("--run-deliveries-max", type=int, default=0)
    parser.add_argument("--run-trail-max", type=int, default=0)
    parser.add_argument("--period", type=float, default=0,
                        help="seconds from the start of one round to its measurement, so rounds come at a steady rate (0: measure when idle)")
    parser.add_argument("--probe-users", type=int, default=200, help="probe users written just before each measurement (steady mode)")
    a = parser.parse_args()
    if a.month_trail_max is None: a.month_trail_max = a.trail_max
    r = Redis(a.port)
    base = int(info(r, "memory")["used_memory"])
    steady_mode = any((a.run_dedupe_window_ms, a.run_applied_window_ms, a.run_sent_retention_ms, a.run_deliveries_max, a.run_trail_max))
    print("round  events  new-users  used_memory      growth       per event   per-user families  other families  seconds"
          + ("  new-user part  windows full" if steady_mode else ""))
    print("    0       0          0  %-14s" % human(base))
    history, previous, total_events = [], base, 0
    before = families(r, a.prefix)
    first_round_end_ms, first_sent, new_before, full_since = None, [], 0, None
    def split(usage):
        per_user = sum(total for name, (count, total) in usage.items() if name in PER_USER)
        return per_user, sum(total for _, total in usage.values()) - per_user
    def unbounded(usage):
        return sum(total for name, (count, total) in usage.items() if name not in PER_USER and name not in WINDOWED)
    for round_no in range(1, a.rounds + 1):
        started = time.time()
        publish(r, a.prefix, round_no, a.events, a.users, a.new_users)
        if not wait_idle(r, a.prefix, a.partitions, a.timeout):
            print("soak: the fleet did not go idle within %d s in round %d" % (a.timeout, round_no), file=sys.stderr)
            sys.exit(1)
        busy = time.time() - started
        probes = 0
        if steady_mode:
            if a.period: time.sleep(max(0.0, started + a.period - time.time()))
            probes = publish_probe(r, a.prefix, round_no, a.probe_users, a.users)
            if not wait_idle(r, a.prefix, a.partitions, a.timeout):
                print("soak: the fleet did not go idle after the probe in round %d" % round_no, file=sys.stderr)
                sys.exit(1)
        used = int(info(r, "memory")["used_memory"])
        usage = families(r, a.prefix)
        new_now, full = 0, {}
        if steady_mode:
            new_now = new_user_bytes(r, a.prefix, a.partitions, usage)
            if round_no == 1:
                first_round_end_ms = time.time() * 1000
                first_sent = scan(r, a.prefix + ":{p*}:sent:*")[:200]
            full = windows_full(r, a, first_round_end_ms, first_sent)
            if full_since is None and full and all(full.values()): full_since = round_no
        events = a.events + 2 * a.new_users + probes
        total_events += events
        user_now, other_now = split(usage)
        user_before, other_before = split(before)
        growth = used - previous
        history.append((round_no, events, used, growth, user_now - user_before, other_now - other_before, unbounded(usage) - unbounded(before),
                        new_now - new_before, dict(usage)))
        windows_text = ""
        if steady_mode:
            windows_text = "  %-13s  %s" % (human(new_now - new_before), ",".join("%s=%s" % (k, "yes" if v else "no") for k, v in full.items()))
        print("%5d  %6d  %9d  %-14s   %-11s  %7.0f B   %-17s  %-14s  %5.1f%s" % (
            round_no, events, a.new_users, human(used), human(growth), growth / events, human(user_now - user_before),
            human(other_now - other_before), busy, windows_text))
        previous, before, new_before = used, usage, new_now
    users = max(usage.get(name, (0, 0))[0] for name in ("{pN}:profile", "{pN}:state", "{pN}:trail-log"))
    per_user_bytes, _ = split(usage)
    bytes_per_user = per_user_bytes / max(1, users)
    # Steady state: rounds after the first (the pool's users exist by then). Per event: what the
    # families that are not per user grew by.
    steady = history[1:] or history
    steady_growth = sum(h[3] for h in steady) / len(steady)
    steady_per_event = sum(h[5] for h in steady) / sum(h[1] for h in steady)
    unbounded_per_event = sum(h[6] for h in steady) / sum(h[1] for h in steady)
    print()
    print("largest key families (MEMORY USAGE, SAMPLES 5):")
    print("  %-28s %9s %14s %12s" % ("family", "keys", "bytes", "per key"))
    for name, (count, total) in sorted(usage.items(), key=lambda item: -item[1][1])[:16]:
        print("  %-28s %9d %14d %12.0f" % (name, count, total, total / max(1, count)))
    def fam(name): return usage.get(name, (0, 0))
    dedupe_counts = r.pipeline([("ZCARD", "%s:{p%d}:dedupe" % (a.prefix, p)) for p in range(a.partitions)])
    dedupe_ids = sum(c for c in dedupe_counts if isinstance(c, int))
    bytes_per_dedupe_id = fam("{pN}:dedupe")[1] / max(1, dedupe_ids)
    applied_counts = r.pipeline([("ZCARD", "%s:{p%d}:applied" % (a.prefix, p)) for p in range(a.partitions)])
    applied_ids = sum(c for c in applied_counts if isinstance(c, int))
    bytes_per_applied = fam("{pN}:applied")[1] / max(1, applied_ids)
    sent_markers = fam("{pN}:sent")[0]
    bytes_per_sent = fam("{pN}:sent")[1] / max(1, sent_markers)
    deliveries_len = r.call("XLEN", a.prefix + ":deliveries") or 0
    bytes_per_delivery = fam("deliveries")[1] / max(1, deliveries_len)
    sends_per_event = sent_markers / max(1, total_events)
    events_per_user = total_events / max(1, users)
    # The trail grows per event (one entry per input that decided something, one per send outcome),
    # bounded per user by count (HERALD_TRAIL_MAX) and age (HERALD_TRAIL_MAX_AGE_MS): measured per
    # entry and per event, and extrapolated per user from the events a user sends in a month.
    trail_keys = scan(r, a.prefix + ":{p*}:trail-log:*")
    trail_lengths = []
    for start in range(0, len(trail_keys), 5000):
        trail_lengths += [n for n in r.pipeline([("LLEN", k) for k in trail_keys[start:start + 5000]]) if isinstance(n, int)]
    trail_entries = sum(trail_lengths)
    capped_trails = sum(1 for n in trail_lengths if n >= a.trail_max)
    trail_bytes = fam("{pN}:trail-log")[1]
    bytes_per_trail_entry = trail_bytes / max(1, trail_entries)
    trail_entries_per_event = trail_entries / max(1, total_events)
    fixed_per_user = (per_user_bytes - trail_bytes) / max(1, users)
    print()
    print("per event at steady state: %.0f B in families bounded by a time or count window (%s; each until its window is full), "
          "%.1f B in families with no such bound" % (steady_per_event - unbounded_per_event, ", ".join(sorted(WINDOWED)), unbounded_per_event))
    print("per unit: %.0f B per user (%d users, %.1f events each: %s); %.0f B per event at steady state in the other families; "
          "%.0f B per dedupe id, %.0f B per applied id, %.0f B per sent: marker, %.0f B per delivery record, %.3f sends per event"
          % (bytes_per_user, users, events_per_user, ", ".join(sorted(n for n in usage if n in PER_USER)), steady_per_event,
             bytes_per_dedupe_id, bytes_per_applied, bytes_per_sent, bytes_per_delivery, sends_per_event))
    print("trail: %d entries in %d users' trails (%d at the %d-entry cap), %.0f B per entry, %.2f entries per event: %.0f B per event, "
          "kept per user up to %d entries and %.0f days; the other per-user families %.0f B per user"
          % (trail_entries, len(trail_lengths), capped_trails, a.trail_max, bytes_per_trail_entry, trail_entries_per_event,
             bytes_per_trail_entry * trail_entries_per_event, a.trail_max, a.trail_max_age_days, fixed_per_user))
    processes = rss(a.pid)
    print("RSS: " + ", ".join("%s %s" % (name, human(v) if v else "gone") for name, v in processes.items()))
    line = {"rounds": a.rounds, "events_per_round": a.events, "new_users_per_round": a.new_users, "used_memory": previous,
            "growth_per_round": round(steady_growth), "bytes_per_event": round(steady_per_event),
            "unbounded_bytes_per_event": round(unbounded_per_event, 1), "bytes_per_user": round(bytes_per_user),
            "events_per_user": round(events_per_user, 1), "users": users}
    if steady_mode:
        # With the windows shortened, the sent: markers and (at its cap) the trail hold less than
        # the defaults would, so the month is extrapolated from a run with the default windows.
        print()
        print("extrapolation: none with shortened windows (sent: markers and trails at a short bound say nothing of a month); run scripts/soak without them")
        line.update(steady_report(a, history, full_since))
        line.update({"rss_" + k.replace("-", "_"): v for k, v in processes.items()})
        print("herald-soak " + " ".join("%s=%s" % (k, v) for k, v in line.items()))
        return
    # A month at 1 B events (386 events/s) over 10 M users: each family at its bound.
    month_users, month_events = 10_000_000, 1_000_000_000
    rate = month_events / (30 * 86400.0)
    dedupe_kept = min(rate * a.dedupe_window_ms / 1000.0, a.partitions * a.dedupe_capacity)
    events_per_user_month = month_events / float(month_users)
    def trail_for(months):
        entries = min(a.month_trail_max, trail_entries_per_event * events_per_user_month * min(months, a.trail_max_age_days / 30.0))
        return entries, month_users * entries * bytes_per_trail_entry
    month_trail_entries, month_trail = trail_for(1)
    bound_trail_entries, bound_trail = trail_for(a.trail_max_age_days / 30.0)
    windows = {
        "dedupe window": dedupe_kept * bytes_per_dedupe_id,
        "sent: markers": rate * sends_per_event * a.sent_retention_s * bytes_per_sent,
        "applied input ids (15 min)": rate * APPLIED_RETENTION_S * bytes_per_applied,
        "deliveries stream (1 M entries)": 1_000_000 * bytes_per_delivery,
        "rejected + dead-letter (at their caps, 242 B each)": 200_000 * 242,
    }
    fixed = month_users * fixed_per_user
    total = fixed + month_trail + sum(windows.values())
    at_bounds = fixed + bound_trail + sum(windows.values())
    gb64 = 64 * 1024 ** 3
    def verdict(value): return "  (fits one 64 GB Redis)" if value < gb64 else "  (needs %d masters of 64 GB)" % (value // gb64 + 1)
    print()
    print("extrapolation to %d users and %d events a month (%.0f events/s, %.0f events per user a month; the other per-user families as measured here):"
          % (month_users, month_events, rate, events_per_user_month))
    print("  %-52s %s" % ("per-user families but the trail (%.0f B per user)" % fixed_per_user, human(fixed)))
    print("  %-52s %s" % ("trail after a month (%.0f entries per user)" % month_trail_entries, human(month_trail)))
    for name, value in windows.items(): print("  %-52s %s" % (name, human(value)))
    print("  %-52s %s%s" % ("total after a month", human(total), verdict(total)))
    print("  %-52s %s%s" % ("total with every trail at its bound (%.0f entries per user)" % bound_trail_entries, human(at_bounds), verdict(at_bounds)))
    if rate * a.dedupe_window_ms / 1000.0 > a.partitions * a.dedupe_capacity:
        print("  note: at this rate HERALD_DEDUPE_CAPACITY keeps %.0f min of the %.0f min dedupe window" % (a.partitions * a.dedupe_capacity / rate / 60, a.dedupe_window_ms / 60000))
    line.update({"month_bytes": round(total), "bounded_month_bytes": round(at_bounds),
            "masters_64gb": int(at_bounds // gb64 + 1), "trail_bytes_per_entry": round(bytes_per_trail_entry),
            "trail_entries_per_event": round(trail_entries_per_event, 2), "fixed_bytes_per_user": round(fixed_per_user)})
    line.update({"rss_" + k.replace("-", "_"): v for k, v in processes.items()})
    print("herald-soak " + " ".join("%s=%s" % (k, v) for k, v in line.items()))

def steady_report(a, history, full_since):
    """Prints growth per event over the rounds after every shortened window was measured full, and
    which families still grew in them; returns the figures for the machine-readable line."""
    print()
    if full_since is None or full_since >= len(history):
        print("steady state: not reached (a window was not yet full after the last round, or no round came after); run more --rounds")
        return {"steady_rounds": 0, "steady_bytes_per_event": "none", "steady_bytes_per_event_without_new_users": "none"}
    steady = history[full_since:]
    events = sum(h[1] for h in steady)
    growth = sum(h[3] for h in steady)
    new_part = sum(h[7] for h in steady)
    new_users = a.new_users * len(steady)
    print("steady state: every shortened window full from the end of round %d (measured); rounds %d-%d: %d events, used_memory %s → %s"
          % (full_since, steady[0][0], steady[-1][0], events, human(history[full_since - 1][2]), human(steady[-1][2])))
    print("  growth per event at steady state:                 %7.1f B  (used_memory growth %s over %d events)" % (growth / events, human(growth), events))
    print("  of it the new users' own keys and set members:    %7.1f B  (%s, %.0f B per new user, %d new users)"
          % (new_part / events, human(new_part), new_part / max(1, new_users), new_users))
    print("  growth per event without the per-new-user part:   %7.1f B" % ((growth - new_part) / events))
    first, last = history[full_since - 1][8], steady[-1][8]
    changes = sorted(((name, last.get(name, (0, 0))[1] - first.get(name, (0, 0))[1]) for name in set(first) | set(last)), key=lambda x: -abs(x[1]))
    print("  family growth over the steady rounds (MEMORY USAGE), per event:")
    for name, delta in changes[:10]:
        print("    %-28s %12s  %7.1f B" % (name, human(delta), delta / events))
    return {"steady_rounds": len(steady), "steady_from_round": full_since + 1, "steady_events": events,
            "steady_bytes_per_event": round(growth / events, 1),
            "steady_bytes_per_event_without_new_users": round((growth - new_part) / events, 1),
            "steady_bytes_per_new_user": round(new_part / max(1, new_users))}

if __name__ == "__main__":
    main()
