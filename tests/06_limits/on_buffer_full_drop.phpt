--TEST--
Limits: with on_buffer_full = drop, send() past max_buffered returns false, the message is dropped, the connection stays open
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['max_buffered' => 256 * 1024, 'on_buffer_full' => 'drop']);
$chunk = str_repeat('z', 64 * 1024);
$server->on('message', function (Salon\Connection $c, string $d) use ($chunk) {
	if ($d === 'flood') {
		$ok = 0;
		$dropped = 0;
		for ($i = 0; $i < 200; $i++) { $c->send($chunk, true) ? $ok++ : $dropped++; }
		echo "server: dropped some ", var_export($dropped > 0, true), ", open ", var_export($c->isOpen(), true), "\n";
		echo "server: buffered at most max_buffered+chunk ", var_export($c->bufferedAmount() <= 256 * 1024 + 65536 + 16, true), "\n";
	} else {
		$c->send("echo $d");
	}
});
$server->on('close', function ($c, $code) { echo "server: close $code\n"; });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->send('flood');
usleep(300000);
$c->send('after');
$n = 0;
while (true) {
	$f = $c->readFrame();
	if ($f[0] === OP_BINARY) { $n++; continue; }
	break;
}
echo "client: got fewer than 200 chunks ", var_export($n < 200, true), "\n";
echo WsClient::describe($f), "\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child, 20);
?>
--EXPECT--
server: dropped some true, open true
server: buffered at most max_buffered+chunk true
server: close 1000
client: got fewer than 200 chunks true
text "echo after"
close 1000 closed
