"""Writes the demo copy of a journey: the same steps with its waits shortened to seconds.

usage: python3 scripts/lib/demo_journey.py SOURCE.json OUT.json [WAIT…]

scripts/demo publishes the copy beside the original so a newcomer sees the journey's messages go
out within the run (abandoned-cart: 5 s instead of 30 min, 10 s instead of 24 h). The copy gets
its own id (`<id>-demo`), so the original keeps running as published; waits become the given
durations in order (default 5s, 10s), and their past-due rules, written for hours, are dropped.
"""
import json
import sys


def demo_copy(journey, waits):
    copy = dict(journey)
    copy.pop("$schema", None)
    copy["id"] = journey["id"] + "-demo"
    remaining = iter(waits)
    renamed = {}
    steps = []
    for step in journey["steps"]:
        step = dict(step)
        if "wait" in step:
            duration = next(remaining, waits[-1])
            step["wait"] = {"duration": duration}
            step.pop("pastDue", None)
            renamed[step["id"]] = "wait-" + duration
            step["id"] = renamed[step["id"]]
        steps.append(step)
    text = json.dumps(steps)
    for old in renamed:
        # A step that names a wait by id (next, branch, split, waitForEvent) follows its new name.
        text = text.replace(json.dumps(old), json.dumps(renamed[old]))
    copy["steps"] = json.loads(text)
    copy["name"] = f"{journey.get('name', journey['id'])} (demo copy: waits of {', '.join(renamed.values()).replace('wait-', '')})"
    return copy


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    source, out = sys.argv[1], sys.argv[2]
    waits = sys.argv[3:] or ["5s", "10s"]
    with open(source) as handle:
        journey = json.load(handle)
    with open(out, "w") as handle:
        json.dump(demo_copy(journey, waits), handle, indent=2)
        handle.write("\n")


if __name__ == "__main__":
    main()
