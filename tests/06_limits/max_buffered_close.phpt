--TEST--
Limits: a client that never reads while the server sends: send() turns false past max_buffered and the connection is closed with 1008
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['max_buffered' => 256 * 1024]);
$chunk = str_repeat('z', 64 * 1024);
$sent = 0;
$refused = false;
$server->on('open', function (Salon\Connection $c) use ($server, $chunk, &$sent, &$refused) {
	$server->every(0.01, function ($id = null) use ($c, $chunk, &$sent, &$refused) {
		if ($refused || !$c->isOpen()) return;
		for ($i = 0; $i < 16; $i++) {
			if (!$c->send($chunk, true)) { $refused = true; return; }
			$sent++;
		}
	});
});
$server->on('close', function ($c, $code) { echo "server: close $code\n"; });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
sleep(2);   // never read meanwhile
PHP);
echo salon_run($server, $child, 20);
echo "refused: ", var_export($refused, true), "\n";
echo $sent * 64 < 64 * 1024 ? "queued less than 64 MiB\n" : "queued $sent chunks\n";
?>
--EXPECT--
server: close 1008
refused: true
queued less than 64 MiB
