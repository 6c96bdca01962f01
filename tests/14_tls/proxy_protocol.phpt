--TEST--
TLS: with proxy_protocol, the PROXY header (v1, v1 in two parts, v2) comes in clear before the TLS handshake and names remoteAddress; a TLS client without one is closed
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . "/../inc/harness.inc"; require __DIR__ . "/../inc/tls.inc"; salon_skip_unless_python(); salon_skip_unless_openssl_cli(); ?>
--FILE--
<?php
require __DIR__ . "/../inc/harness.inc";
require __DIR__ . "/../inc/tls.inc";
$t = salon_tls_material();
$server = salon_tls_echo_server(['cert' => $t['a.pem'], 'key' => $t['a.key']], ['proxy_protocol' => true]);
$server->on('open', function (Salon\Connection $c) { echo "server: open from {$c->remoteAddress}\n"; });
echo salon_run($server, salon_spawn($server, [SALON_PYTHON, __DIR__ . '/../interop/tls_probe.py', 'proxy', $t['ca.pem']], 'probe'), 30);
echo "handshakes_failed: ", $server->stats()['handshakes_failed'], "\n";
?>
--EXPECTF--
server: open from 203.0.113.7:5555
server: open from 198.51.100.9:6666
server: open from 192.0.2.1:7777
v1 header: echo ok
v1 header in two parts: echo ok
v2 header: echo ok
no PROXY header: refused (%s)
handshakes_failed: 1
