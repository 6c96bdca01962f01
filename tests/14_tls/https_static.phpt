--TEST--
TLS: document_root files are served over https on the same port
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . "/../inc/harness.inc"; require __DIR__ . "/../inc/tls.inc"; salon_skip_unless_python(); salon_skip_unless_openssl_cli(); ?>
--FILE--
<?php
require __DIR__ . "/../inc/harness.inc";
require __DIR__ . "/../inc/tls.inc";
$t = salon_tls_material();
mkdir($t['dir'] . '/www');
file_put_contents($t['dir'] . '/www/hello.txt', "hello over https\n");
$server = salon_echo_server(['document_root' => $t['dir'] . '/www', 'tls' => ['cert' => $t['a.pem'], 'key' => $t['a.key']]], false);
echo salon_run($server, salon_spawn($server, [SALON_PYTHON, __DIR__ . "/../interop/tls_probe.py", 'https', $t['ca.pem']], 'probe'), 30);
?>
--EXPECT--
https: HTTP/1.1 200 OK, body 'hello over https\n'
