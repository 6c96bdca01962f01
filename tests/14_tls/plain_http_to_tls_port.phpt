--TEST--
TLS: plain HTTP sent to the TLS port gets a clear-text 400 and is closed; the server keeps serving wss
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
echo salon_run($server, salon_spawn($server, [SALON_PYTHON, __DIR__ . "/../interop/tls_probe.py", 'plain', $t['ca.pem']], 'probe'), 30);
echo "handshakes_failed: ", $server->stats()['handshakes_failed'], "\n";
?>
--EXPECT--
plain: HTTP/1.1 400 Bad Request
plain: 400 Bad Request: plain HTTP sent to a TLS (https/wss) port
then wss: echo ok
handshakes_failed: 1
