--TEST--
TLS: with the application's own SIGHUP handler (pcntl_signal), Salon installs none: the user's handler runs, no automatic reload, and the handler is still set after run()
--EXTENSIONS--
salon
pcntl
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
$server->on('message', function (Salon\Connection $c, string $data) use ($t, $cert, $key) {
	salon_tls_swap($t['b.pem'], $cert);
	salon_tls_swap($t['b.key'], $key);
	$c->send('swapped');
});
pcntl_async_signals(true);
$mine = function () use ($server) {
	$server->broadcast('the application\'s SIGHUP handler ran');
};
pcntl_signal(SIGHUP, $mine);
echo salon_run($server, salon_spawn($server, [SALON_PYTHON, __DIR__ . '/../interop/tls_probe.py', 'sighup_user', $t['ca.pem']], 'probe'), 30);
var_dump(pcntl_signal_get_handler(SIGHUP) === $mine);
?>
--EXPECT--
conn1: serial 1001 O=Salon A
server: swapped
server: the application's SIGHUP handler ran
conn2 (new): serial 1001 O=Salon A
bool(true)
