--TEST--
Stats: connections by state, bytes buffered, rooms, close codes, per-second rates, event-loop lag and uptime
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['max_buffered' => 64 * 1024 * 1024]);
$server->on('open', function (Salon\Connection $c) {
	$c->join('all');
	$c->join("solo-$c->id");
});
$server->on('message', function (Salon\Connection $c, string $d) use ($server) {
	if ($d === 'flood') {
		for ($i = 0; $i < 64; $i++) {
			$c->send(str_repeat('f', 256 * 1024), true);
		}
		return;
	}
	if ($d === 'block') {
		usleep(1500000);  // holds the loop past a due tick: the lag shows it
		$c->send('blocked');
		return;
	}
	if ($d === 'stats') {
		$st = $server->stats();
		$c->send(json_encode([
			'by_state' => $st['connections_by_state'],
			'buffered_over_8MiB' => $st['bytes_buffered'] > 8 * 1024 * 1024,
			'rooms' => $st['rooms'],
			'room_members' => $st['room_members'],
			'close_codes' => $st['close_codes'],
		]));
		return;
	}
	$c->send($d);   // echo
});
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
$b = WsClient::connect($port);
$c = WsClient::connect($port);
$d = WsClient::connect($port);
// one socket still in its handshake
$half = salon_tcp_connect($port);
fwrite($half, "GET / HTTP/1.1\r\nHost: x\r\n");
$b->close(4001);                   // b keeps its socket open: "closing" until it closes it
$c->drop();                        // 1006
$d->send('flood');                 // d does not read: 16 MiB stay queued
usleep(200000);
$a->send('stats');
echo "stats: ", $a->readFrame()[1], "\n";
for ($i = 0; $i < 200; $i++) { $a->send("m$i"); $a->readFrame(); }
usleep((int) (salon_timeout(1.2) * 1e6)); // the once-a-second sample
$a->send('block');
$a->readFrame();
usleep((int) (salon_timeout(1.2) * 1e6));
$a->send('done');
$a->readFrame();
echo "a: ", $a->close(), "\n";
$d->drop();
fclose($half);
PHP);
echo salon_run($server, $child, 30);
$st = $server->stats();
echo "keys: ", implode(' ', array_keys($st)), "\n";
echo "per_second keys: ", implode(' ', array_keys($st['per_second'])), "\n";
echo "rates are floats >= 0: ", var_export(array_filter($st['per_second'], fn($v) => !is_float($v) || $v < 0) === [], true), "\n";
echo "lag noticed: ", $st['loop_lag_max_ms'] >= 400 ? 'yes' : "no ({$st['loop_lag_max_ms']} ms)", "\n";
echo "uptime: ", $st['uptime'] > 1 && $st['uptime'] < 120 * salon_scale() ? 'plausible' : $st['uptime'], "\n";
ksort($st['close_codes']);
echo "close codes after run(): ", json_encode($st['close_codes']), "\n";
echo "rooms after run(): {$st['rooms']} {$st['room_members']}\n";
?>
--EXPECT--
stats: {"by_state":{"handshake":1,"open":2,"closing":1},"buffered_over_8MiB":true,"rooms":3,"room_members":4,"close_codes":{"1006":1,"4001":1}}
a: close 1000 closed
keys: connections connections_total messages_in messages_out bytes_in bytes_out handshakes_failed http_requests connections_by_state bytes_buffered rooms room_members per_second close_codes loop_lag_ms loop_lag_max_ms uptime
per_second keys: messages_in messages_out bytes_in bytes_out connections
rates are floats >= 0: true
lag noticed: yes
uptime: plausible
close codes after run(): {"1000":1,"1006":2,"4001":1}
rooms after run(): 0 0
