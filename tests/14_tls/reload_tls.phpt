--TEST--
TLS: reloadTls() under a live server: new connections get the renewed certificate, the open one keeps working; a mismatched new pair throws and the old one stays
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . "/../inc/harness.inc"; require __DIR__ . "/../inc/tls.inc"; salon_skip_unless_python(); salon_skip_unless_openssl_cli(); ?>
--FILE--
<?php
require __DIR__ . "/../inc/harness.inc";
require __DIR__ . "/../inc/tls.inc";
$t = salon_tls_material();
$cert = $t['dir'] . '/live.pem';
$key = $t['dir'] . '/live.key';
copy($t['a.pem'], $cert);
copy($t['a.key'], $key);
$server = salon_tls_echo_server(['cert' => $cert, 'key' => $key]);
$server->on('message', function (Salon\Connection $c, string $data, bool $binary) use ($server, $t, $cert, $key) {
	if ($data === 'swap-good') {
		salon_tls_swap($t['b.pem'], $cert);
		salon_tls_swap($t['b.key'], $key);
		$server->reloadTls();
		$c->send('reloaded');
	} elseif ($data === 'swap-bad') {
		salon_tls_swap($t['a.pem'], $cert); // a's certificate with b's key
		try {
			$server->reloadTls();
			$c->send('reloaded (unexpected)');
		} catch (Salon\Exception $e) {
			$c->send(str_replace($t['dir'], 'DIR', $e->getMessage()));
		}
	} else {
		$c->send($data, $binary);
	}
});
echo salon_run($server, salon_spawn($server, [SALON_PYTHON, __DIR__ . "/../interop/tls_probe.py", 'reload', $t['ca.pem']], 'probe'), 30);
try {
	salon_server()->reloadTls();
} catch (Salon\Exception $e) {
	echo "plain server: ", $e->getMessage(), "\n";
}
?>
--EXPECT--
conn1: serial 1001 O=Salon A
conn1: echo ok
server: reloaded
conn2 (new): serial 2002 O=Salon B
conn1 (open since before): serial 1001 O=Salon A, echo ok
server: TLS reload failed, the current certificate stays: TLS private key DIR/live.key: key values mismatch
conn3 (new): serial 2002 O=Salon B
conn1: echo ok
plain server: TLS is not enabled on this server (no "tls" option)
