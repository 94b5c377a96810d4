"""An APNs stand-in speaking HTTP/2 over cleartext (h2c, prior knowledge) with the h2 library.

Usage: apns_peer.py --port PORT --dir DIR --public-key PEM --key-id KID --team-id TEAM --topic TOPIC
                    [--tls CERT KEY]   (then HTTP/2 over TLS with ALPN "h2", as the real APNs)

POST /3/device/<token>: verifies the ES256 provider token with PyJWT and the public key (kid,
iss, iat), checks apns-topic, then answers like APNs: 200 with apns-id; 403 InvalidProviderToken
for a bad JWT; 400 BadDeviceToken for a token starting "bad"; 410 Unregistered for one starting
"dead"; 429 TooManyRequests for one starting "fa57". Each request is recorded with its HTTP version
(always 2 here, since only HTTP/2 frames are understood), headers, body and verification outcome.
"""
import argparse
import json
import os
import socket
import ssl
import sys
import threading
import time

import h2.config
import h2.connection
import h2.events
import jwt

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_common import exit_with_parent, write_record  # noqa: E402


def handle_request(args, public_key, headers, body, connection_id, tls):
    record = {"http2": True, "connection": connection_id, "tls": tls, "method": headers.get(":method"), "path": headers.get(":path"),
              "headers": {k: v for k, v in headers.items() if not k.startswith(":")}}
    try:
        record["body"] = json.loads(body.decode() or "null")
    except ValueError:
        record["body"] = None
    token = headers.get("authorization", "")[len("bearer "):]
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, public_key, algorithms=["ES256"], options={"require": ["iat", "iss"], "verify_aud": False})
        assert header.get("kid") == args.key_id, "kid %r" % header.get("kid")
        assert claims["iss"] == args.team_id, "iss"
        assert abs(claims["iat"] - time.time()) < 3600, "iat"
        record["jwt_verified"] = True
    except Exception as error:  # noqa: BLE001 - any failure is a rejected token
        record["jwt_verified"] = False
        record["jwt_error"] = "%s: %s" % (type(error).__name__, error)
    record["jwt"] = token
    write_record(args.dir, record)
    device = (headers.get(":path") or "").rsplit("/", 1)[-1]
    apns_id = headers.get("apns-id") or "00000000-0000-0000-0000-000000000000"
    if not record["jwt_verified"]:
        return 403, apns_id, {"reason": "InvalidProviderToken"}
    if headers.get("apns-topic") != args.topic:
        return 400, apns_id, {"reason": "TopicDisallowed"}
    if device.startswith("bad"):
        return 400, apns_id, {"reason": "BadDeviceToken"}
    if device.startswith("dead"):
        return 410, apns_id, {"reason": "Unregistered", "timestamp": int(time.time() * 1000)}
    if device.startswith("fa57"):
        return 429, apns_id, {"reason": "TooManyRequests"}
    return 200, apns_id, None


def serve_connection(args, public_key, sock, connection_id, tls):
    config = h2.config.H2Configuration(client_side=False, header_encoding="utf-8")
    conn = h2.connection.H2Connection(config=config)
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    streams = {}
    try:
        while True:
            data = sock.recv(65535)
            if not data:
                return
            for event in conn.receive_data(data):
                if isinstance(event, h2.events.RequestReceived):
                    streams[event.stream_id] = {"headers": dict(event.headers), "body": b""}
                elif isinstance(event, h2.events.DataReceived):
                    streams[event.stream_id]["body"] += event.data
                    conn.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                elif isinstance(event, h2.events.StreamEnded):
                    stream = streams.pop(event.stream_id)
                    status, apns_id, payload = handle_request(args, public_key, stream["headers"], stream["body"],
                                                                   connection_id, tls)
                    response_headers = [(":status", str(status)), ("apns-id", apns_id)]
                    if payload is None:
                        conn.send_headers(event.stream_id, response_headers, end_stream=True)
                    else:
                        data_out = json.dumps(payload).encode()
                        conn.send_headers(event.stream_id, response_headers + [("content-type", "application/json"),
                                                                               ("content-length", str(len(data_out)))])
                        conn.send_data(event.stream_id, data_out, end_stream=True)
                elif isinstance(event, h2.events.ConnectionTerminated):
                    return
            outgoing = conn.data_to_send()
            if outgoing:
                sock.sendall(outgoing)
    except (ConnectionError, OSError):
        return
    finally:
        sock.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--public-key", required=True)
    parser.add_argument("--key-id", required=True)
    parser.add_argument("--team-id", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    args = parser.parse_args()
    exit_with_parent()
    with open(args.public_key) as handle:
        public_key = handle.read()
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", args.port))
    server.listen(16)
    context = None
    if args.tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(*args.tls)
        context.set_alpn_protocols(["h2"])
    connections = 0
    while True:
        client, _ = server.accept()
        connections += 1
        threading.Thread(target=serve_tls if context else serve_connection,
                         args=(args, public_key, client, connections) + ((context,) if context else (False,)),
                         daemon=True).start()


def serve_tls(args, public_key, client, connection_id, context):
    try:
        wrapped = context.wrap_socket(client, server_side=True)
    except (ssl.SSLError, OSError):
        client.close()
        return
    if wrapped.selected_alpn_protocol() != "h2":
        wrapped.close()
        return
    serve_connection(args, public_key, wrapped, connection_id, True)


if __name__ == "__main__":
    main()
