--TEST--
Chat in headless Chromium over https:// and wss:// (a self-signed certificate made with the openssl CLI, --ignore-certificate-errors): the same steps as browser_e2e.phpt, permessage-deflate negotiated over wss (tests/e2e/chat.spec.mjs --tls)
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/chat.inc';
require __DIR__ . '/../inc/tls.inc';
chat_e2e_skip();
salon_skip_unless_openssl_cli();
?>
--FILE--
<?php
require __DIR__ . '/chat.inc';
chat_e2e(['--tls']);
?>
--EXPECT--
ok 1 - the page loads over https:// and shows the connection state
ok 2 - two contexts join the same room and see each other in the user list
ok 3 - messages go both ways
ok 4 - both contexts' wss:// handshakes were answered with Sec-WebSocket-Extensions: permessage-deflate (CDP)
ok 5 - a 1500-character message and a 1500-character non-ASCII one arrive unchanged in the other context
ok 6 - an <img onerror> message shows as text: no img element, textContent equal
ok 7 - bob closes his page; alice sees "bob left" and the user list shrink
ok 8 - after a server restart the page reconnects and rejoins the room by itself
ok 9 - a new context joining after the restart sees the earlier messages (SQLite history)
ok 10 - the reconnected page and the new one talk
ok 11 - no page errors, no dialogs; the reconnect and carol negotiated permessage-deflate too; screenshots chat-e2e-tls*.png in tests/artifacts/
e2e: 11 passed, 0 failed
exit 0
