--TEST--
Chat in headless Chromium: two contexts chat both ways, an <img onerror> stays text, a leave notice, reconnect and SQLite history after a server restart (tests/e2e/chat.spec.mjs)
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/chat.inc';
if (getenv('USE_ZEND_ALLOC') === '0') die('skip not under valgrind (the chat server runs in its own process)');
salon_skip_unless_node();
if (!is_executable('/usr/bin/chromium')) die('skip /usr/bin/chromium not installed (Debian: apt-get install chromium)');
if (!is_file(salon_root() . '/node_modules/playwright-core/package.json')) die('skip node_modules/playwright-core missing (npm ci)');
if (salon_extension_path() === null) die('skip salon.so not found');
if (chat_pdo_flags() === null) die('skip PDO sqlite not installed (Debian: php-sqlite3)');
?>
--FILE--
<?php
require __DIR__ . '/chat.inc';
$env = ['SALON_PHP' => PHP_BINARY, 'SALON_SO' => salon_extension_path(), 'SALON_TIMEOUT_SCALE' => (string) salon_scale()] + getenv();
$p = proc_open([salon_node(), salon_root() . '/tests/e2e/chat.spec.mjs'], [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes, salon_root(), $env);
fclose($pipes[0]);
echo stream_get_contents($pipes[1]);
fclose($pipes[1]);
echo 'exit ', proc_close($p), "\n";
?>
--EXPECT--
ok 1 - the page loads and shows the connection state
ok 2 - two contexts join the same room and see each other in the user list
ok 3 - messages go both ways
ok 4 - an <img onerror> message shows as text: no img element, textContent equal
ok 5 - bob closes his page; alice sees "bob left" and the user list shrink
ok 6 - after a server restart the page reconnects and rejoins the room by itself
ok 7 - a new context joining after the restart sees the earlier messages (SQLite history)
ok 8 - the reconnected page and the new one talk
ok 9 - no page errors, no dialogs; screenshots in tests/artifacts/
e2e: 9 passed, 0 failed
exit 0
