--TEST--
TLS: 6 MiB of echoes to a client that reads late: TLS writes stop half-way (WANT_WRITE) and resume with a queue that grew and moved
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
echo salon_run($server, salon_spawn($server, [SALON_PYTHON, __DIR__ . "/../interop/tls_probe.py", 'slowread', $t['ca.pem']], 'probe'), 60);
?>
--EXPECT--
server: close 1000
slowread: 6 of 6 messages of 1 MiB came back intact
