--TEST--
Interop: a Node ws client sees the server's close code and reason (Connection::close(4001, ...))
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; salon_skip_unless_node(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('message', function (Salon\Connection $c, string $d) { $c->close(4001, 'closed by salon'); });
$server->on('close', function (Salon\Connection $c, int $code) { echo "server: close $code\n"; });
$child = salon_spawn($server, [salon_node(), __DIR__ . '/../interop/client_ws.js', 'server_close'], 'node');
echo salon_run($server, $child, 30);
?>
--EXPECT--
server: close 4001
server closed 4001 closed by salon
