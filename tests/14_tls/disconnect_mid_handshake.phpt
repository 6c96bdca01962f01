--TEST--
TLS: clients that stop or reset in the middle of the TLS handshake are dropped while an open wss connection and new ones keep working
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . "/../inc/harness.inc"; require __DIR__ . "/../inc/tls.inc"; salon_skip_unless_python(); salon_skip_unless_openssl_cli(); ?>
--FILE--
<?php
require __DIR__ . "/../inc/harness.inc";
require __DIR__ . "/../inc/tls.inc";
$t = salon_tls_material();
$server = salon_tls_echo_server(['cert' => $t['a.pem'], 'key' => $t['a.key']]);
$server->on('close', function (Salon\Connection $c, int $code) { echo "server: close $code\n"; });
echo salon_run($server, salon_spawn($server, [SALON_PYTHON, __DIR__ . "/../interop/tls_probe.py", 'midhandshake', $t['ca.pem']], 'probe'), 30);
$st = $server->stats();
echo "connections_total: {$st['connections_total']}, handshakes_failed >= 2: ", $st['handshakes_failed'] >= 2 ? 'yes' : 'no', "\n";
?>
--EXPECT--
server: close 1000
server: close 1000
open connection: echo ok
half ClientHello then FIN: server closed yes
ClientHello then RST: server had answered a handshake record
connect then close: done
not a ClientHello: server closed yes
open connection after all that: echo ok
new connection: echo ok
connections_total: 6, handshakes_failed >= 2: yes
