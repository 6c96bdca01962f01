--TEST--
TLS: a TLS 1.2 client's renegotiation request is refused (no_renegotiation alert); the server keeps serving
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
// openssl s_client asks for a renegotiation when it reads a line "R".
$script = <<<'SH'
s=${SALON_TIMEOUT_SCALE:-1}
(sleep 0.5; echo R; sleep $((2 * ${s%.*}))) | openssl s_client -connect 127.0.0.1:$2 -tls1_2 -CAfile "$1" 2>&1 |
	grep -oE 'RENEGOTIATING|no renegotiation|Verify return code: [0-9]+ \([a-z]+\)'
SH;
$s_client = salon_spawn($server, ['/bin/sh', '-c', $script, 'sh', $t['ca.pem']], 's_client');
echo salon_run($server, $s_client, 30);
echo salon_run($server, salon_spawn($server, [SALON_PYTHON, __DIR__ . '/../interop/tls_probe.py', 'chain', $t['ca.pem']], 'probe'), 30);
?>
--EXPECT--
Verify return code: 0 (ok)
RENEGOTIATING
no renegotiation
chain: verified, serial 1001 O=Salon A, echo ok
