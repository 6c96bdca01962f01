--TEST--
TLS: a Node ws client over wss:// (trusting only the test CA, SNI localhost) exchanges text and binary up to 1 MiB, pings and closes cleanly
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; require __DIR__ . '/../inc/tls.inc'; salon_skip_unless_node(); salon_skip_unless_openssl_cli(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/../inc/tls.inc';
$t = salon_tls_material();
$server = salon_tls_echo_server(['cert' => $t['a.pem'], 'key' => $t['a.key']]);
$server->on('open', function (Salon\Connection $c) { echo "server: open ", $c->request()->path, '?', $c->request()->query, "\n"; });
$server->on('close', function (Salon\Connection $c, int $code, string $reason) { echo "server: close $code $reason\n"; });
$child = salon_spawn($server, [salon_node(), __DIR__ . "/../interop/client_ws.js", '--tls', $t['ca.pem'], 'echo'], "node");
echo salon_run($server, $child, 60);
?>
--EXPECT--
server: open /interop?client=node
server: close 1000 bye from node
tls TLSv1.3 alpn http/1.1
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
