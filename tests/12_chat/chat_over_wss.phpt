--TEST--
Chat script over TLS (--tls-cert/--tls-key): the page over https://, a join and a message over wss:// (Python's ssl, trusting the test CA)
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/chat.inc';
require __DIR__ . '/../inc/tls.inc';
if (salon_extension_path() === null) die('skip salon.so not found');
salon_skip_unless_python();
salon_skip_unless_openssl_cli();
salon_skip_under_memcheck();
?>
--FILE--
<?php
require __DIR__ . '/chat.inc';
require __DIR__ . '/../inc/tls.inc';
$t = salon_tls_material();
$server = chat_spawn(['0', '--db=', '--tls-cert=' . $t['a.pem'], '--tls-key=' . $t['a.key']], false);
echo preg_replace('~:\d+/~', ':PORT/', strtok($server->stdout, "\n")), "\n";
$py = <<<'PY'
import asyncio, json, ssl, sys, websockets
ca, port = sys.argv[1], int(sys.argv[2])
ctx = ssl.create_default_context(cafile=ca)
async def main():
    r, w = await asyncio.open_connection("127.0.0.1", port, ssl=ctx, server_hostname="localhost")
    w.write(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    page = await r.read()
    w.close()
    print("GET / over https:", page.split(b"\r\n")[0].decode(), "chat page" if b'data-testid="messages"' in page else "something else")
    async with websockets.connect("wss://127.0.0.1:%d/chat" % port, ssl=ctx, server_hostname="localhost") as ws:
        await ws.send(json.dumps({"type": "join", "nick": "alice", "room": "lobby"}))
        print("wss:", json.loads(await ws.recv())["type"])
        await ws.send(json.dumps({"type": "message", "text": "hello over wss"}))
        while (m := json.loads(await ws.recv()))["type"] != "message":
            pass  # the join notice, the user list
        print("wss:", m["type"], m["nick"], m["text"])
asyncio.run(main())
PY;
$p = proc_open([SALON_PYTHON, '-c', $py, $t['ca.pem'], (string) $server->port], [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes);
echo stream_get_contents($pipes[1]);
proc_close($p);
// SIGTERM stops run() gracefully, so the script ends with exit code 0.
echo 'server: ', ($code = chat_stop($server)) === 0 ? 'stopped by SIGTERM, exit 0' : "exit $code", "\n";
?>
--EXPECT--
Salon chat room: open https://127.0.0.1:PORT/ in two browser tabs (Ctrl-C stops)
GET / over https: HTTP/1.1 200 OK chat page
wss: joined
wss: message alice hello over wss
server: stopped by SIGTERM, exit 0
