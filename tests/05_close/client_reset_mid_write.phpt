--TEST--
Close: a client reset (RST) while the server has output queued gets one onClose with 1006; the server keeps serving
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; if (!is_executable(SALON_PYTHON)) die('skip /usr/bin/python3 not found'); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$closes = [];
$server->on('message', function (Salon\Connection $c, string $d) {
	if ($d === 'flood') {
		for ($i = 0; $i < 8; $i++) { $c->send(str_repeat('f', 1 << 20), true); }
		echo "server: queued, bufferedAmount > 0: ", var_export($c->bufferedAmount() > 0, true), "\n";
	} else {
		$c->send($d);
	}
});
$server->on('close', function (Salon\Connection $c, int $code) use (&$closes) { $closes[] = $code; echo "server: close $code\n"; });
$child = salon_spawn($server, [SALON_PYTHON, __DIR__ . '/../interop/fault_client.py', 'reset_mid_write'], 'client');
echo salon_run($server, $child, 20);
echo "onClose calls: ", count($closes), "\n";
?>
--EXPECT--
server: queued, bufferedAmount > 0: true
server: close 1006
server: close 1000
reset sent
second client: are you there
second client close: 1000
onClose calls: 2
