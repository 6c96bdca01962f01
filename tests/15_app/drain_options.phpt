--TEST--
Backpressure: send_high_water / send_low_water are validated; by default drain fires when a queue over 1 MiB is written out
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
foreach ([
	['send_low_water' => 2048, 'send_high_water' => 1024],
	['send_low_water' => 1024 * 1024],
	['send_high_water' => 0],
	['send_low_water' => -1],
	['send_high_water' => '1M'],
] as $opts) {
	try {
		new Salon\Server('127.0.0.1', 0, $opts);
		echo "accepted\n";
	} catch (ValueError | TypeError $e) {
		echo get_class($e), ': ', $e->getMessage(), "\n";
	}
}
$server = salon_server();
$server->on('message', function (Salon\Connection $c, string $d) {
	// 1 MiB exactly is not over the default high-water mark; one byte more is.
	// A small message first (a 24-byte frame): a large one sent while nothing
	// is queued goes to the socket at once and only its unsent rest counts.
	$c->send(str_repeat('s', 22), true);
	$c->send(str_repeat('a', 1024 * 1024 - 24 - 10 + ($d === 'over' ? 1 : 0)), true); // + a 10-byte header
	echo "server: $d queued ", $c->bufferedAmount(), "\n";
});
$server->on('drain', function (Salon\Connection $c) { echo "server: drain, bufferedAmount ", $c->bufferedAmount(), "\n"; });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->send('under');
$c->readFrame();
$c->readFrame();
$c->send('over');
$c->readFrame();
$c->readFrame();
echo "client: ", $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
ValueError: Salon\Server::__construct(): Argument #3 ($options) option "send_low_water" (2048) must be lower than "send_high_water" (1024)
ValueError: Salon\Server::__construct(): Argument #3 ($options) option "send_low_water" (1048576) must be lower than "send_high_water" (1048576)
ValueError: Salon\Server::__construct(): Argument #3 ($options) option "send_high_water" must be between 1 and 9223372036854775807
ValueError: Salon\Server::__construct(): Argument #3 ($options) option "send_low_water" must be between 0 and 9223372036854775807
TypeError: Salon\Server::__construct(): Argument #3 ($options) option "send_high_water" must be of type int, string given
server: under queued 1048576
server: over queued 1048577
server: drain, bufferedAmount 0
client: close 1000 closed
