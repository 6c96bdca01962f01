--TEST--
Interop: a Node ws client exchanges text and binary of 0, 125, 126, 65535, 65536 bytes and 1 MiB, pings and closes cleanly
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; salon_skip_unless_node(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$server->on('open', function (Salon\Connection $c) { echo "server: open ", $c->request()->path, '?', $c->request()->query, "\n"; });
$server->on('close', function (Salon\Connection $c, int $code, string $reason) { echo "server: close $code $reason\n"; });
$child = salon_spawn($server, [salon_node(), __DIR__ . '/../interop/client_ws.js', 'echo'], 'node');
echo salon_run($server, $child, 60);
?>
--EXPECT--
server: open /interop?client=node
server: close 1000 bye from node
text 0 ok
text 125 ok
text 126 ok
text 65535 ok
text 65536 ok
text 1048576 ok
binary 0 ok
binary 125 ok
binary 126 ok
binary 65535 ok
binary 65536 ok
binary 1048576 ok
ping answered
closed 1000
