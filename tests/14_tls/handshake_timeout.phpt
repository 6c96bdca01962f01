--TEST--
TLS: a client that stalls in the TLS handshake is closed after handshake_timeout
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . "/../inc/harness.inc"; require __DIR__ . "/../inc/tls.inc"; salon_skip_unless_python(); salon_skip_unless_openssl_cli(); ?>
--FILE--
<?php
require __DIR__ . "/../inc/harness.inc";
require __DIR__ . "/../inc/tls.inc";
$t = salon_tls_material();
$server = salon_tls_echo_server(['cert' => $t['a.pem'], 'key' => $t['a.key']], ['handshake_timeout' => 0.5 * salon_scale()]);
echo salon_run($server, salon_spawn($server, [SALON_PYTHON, __DIR__ . "/../interop/tls_probe.py", 'timeout', $t['ca.pem']], 'probe'), 30);
?>
--EXPECT--
stalled handshake: closed by the server after handshake_timeout
