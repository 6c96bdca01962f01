<?php
/*
 * Salon ticker: a timer moves a few made-up prices every 100 ms and pushes
 * each symbol's price to the room of that symbol. A client follows a symbol
 * by joining its room, so a tick costs one encoded frame per symbol and
 * O(members) in the core, whatever the number of connections.
 *
 *   php -n -d extension=modules/salon.so examples/ticker/server.php [PORT]
 *
 * PORT defaults to 8001 (0 picks a free one); open http://127.0.0.1:PORT/.
 * Protocol (JSON text messages):
 *   client: {"subscribe": "ACME"} / {"unsubscribe": "ACME"}
 *   server: {"symbol": "ACME", "price": 101.37, "t": 1732620000.123}  every 100 ms per followed symbol
 *           {"symbols": ["ACME", ...]}                                  on open
 * SIGINT or SIGTERM stops it gracefully (every client gets close 1001).
 */
declare(strict_types=1);

$port = (int) ($argv[1] ?? 8001);
$server = new Salon\Server('127.0.0.1', $port, ['document_root' => __DIR__ . '/public']);

$prices = ['ACME' => 101.25, 'GLOBEX' => 250.10, 'INITECH' => 42.00, 'UMBRELLA' => 13.37];

$server->on('start', function (Salon\Server $s) use (&$prices): void {
	$s->every(0.1, function () use ($s, &$prices): void {
		foreach ($prices as $symbol => $price) {
			// A random walk, one basis point at a time.
			$prices[$symbol] = max(0.01, round($price * (1 + mt_rand(-25, 25) / 10000), 2));
			if ($s->roomCount($symbol) > 0) {
				$s->broadcast(json_encode(['symbol' => $symbol, 'price' => $prices[$symbol], 't' => microtime(true)]),
					room: $symbol);
			}
		}
	});
	fwrite(STDOUT, "listening on ws://127.0.0.1:{$s->port()} (open http://127.0.0.1:{$s->port()}/)\n");
	fflush(STDOUT);
});

$server->on('open', function (Salon\Connection $c) use (&$prices): void {
	$c->send(json_encode(['symbols' => array_keys($prices)]));
});

$server->on('message', function (Salon\Connection $c, string $data) use (&$prices): void {
	$msg = json_decode($data, true);
	if (!is_array($msg)) {
		return;
	}
	if (isset($msg['subscribe']) && isset($prices[$msg['subscribe']])) {
		$c->join($msg['subscribe']);
	} elseif (isset($msg['unsubscribe']) && is_string($msg['unsubscribe'])) {
		$c->leave($msg['unsubscribe']);
	}
});

$server->run();
fwrite(STDOUT, "stopped\n");
