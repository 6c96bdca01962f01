--TEST--
TLS: SIGHUP during run() reloads the certificate like reloadTls(); a failed reload goes to the error handler and the old pair stays; the previous SIGHUP disposition is back after run()
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
$server->on('message', function (Salon\Connection $c, string $data, bool $binary) use ($t, $cert, $key) {
	if ($data === 'swap-good') {
		salon_tls_swap($t['b.pem'], $cert);
		salon_tls_swap($t['b.key'], $key);
		$c->send('swapped, waiting for SIGHUP');
	} elseif ($data === 'swap-bad') {
		salon_tls_swap($t['a.pem'], $cert);
		$c->send('swapped to a bad pair, waiting for SIGHUP');
	} else {
		$c->send($data, $binary);
	}
});
$server->on('error', function (?Salon\Connection $c, Throwable $e) use ($server, $t) {
	$server->broadcast('error handler: ' . get_class($e) . ': ' . str_replace($t['dir'], 'DIR', $e->getMessage()));
});
echo salon_run($server, salon_spawn($server, [SALON_PYTHON, __DIR__ . "/../interop/tls_probe.py", 'sighup', $t['ca.pem']], 'probe'), 30);
if (function_exists('pcntl_signal_get_handler')) {
	var_dump(pcntl_signal_get_handler(SIGHUP) === SIG_DFL);
} else {
	var_dump(true);
}
?>
--EXPECT--
conn1: serial 1001 O=Salon A
conn1: echo ok
server: swapped, waiting for SIGHUP
conn2 (new): serial 2002 O=Salon B
conn1 (open since before): serial 1001 O=Salon A, echo ok
server: swapped to a bad pair, waiting for SIGHUP
server: error handler: Salon\Exception: TLS reload failed, the current certificate stays: TLS private key DIR/live.key: key values mismatch
conn3 (new): serial 2002 O=Salon B
conn1: echo ok
bool(true)
