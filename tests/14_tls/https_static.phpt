--TEST--
TLS: document_root files are served over https on the same port, a 3 MiB one streamed whole
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
$big = str_repeat(hash('sha256', 'salon', true), (3 << 20) / 32) . 'tail';   // 3 MiB + 4 B: many chunks
file_put_contents($t['dir'] . '/www/big.bin', $big);
$server = salon_tls_echo_server(['cert' => $t['a.pem'], 'key' => $t['a.key']], ['document_root' => $t['dir'] . '/www']);
$out = salon_run($server, salon_spawn($server, [SALON_PYTHON, __DIR__ . "/../interop/tls_probe.py", 'https', $t['ca.pem']], 'probe'), 30);
echo str_replace(sha1($big), 'of the file', $out);
?>
--EXPECT--
https: HTTP/1.1 200 OK, body 'hello over https\n'
https big: HTTP/1.1 200 OK, length-ok, sha1 of the file
