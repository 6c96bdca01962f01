--TEST--
permessage-deflate: the "compression" option takes false, true or an array of known keys; bad values throw ValueError or TypeError
--EXTENSIONS--
salon
--FILE--
<?php
$cases = [
	'yes',
	1,
	['level' => 10],
	['level' => -1],
	['level' => '6'],
	['server_max_window_bits' => 7],
	['client_max_window_bits' => 16],
	['memory_level' => 0],
	['threshold' => -1],
	['server_no_context_takeover' => 1],
	['window_bits' => 10],
	[0 => true],
];
foreach ($cases as $value) {
	try {
		new Salon\Server('127.0.0.1', 0, ['compression' => $value]);
		echo "accepted\n";
	} catch (ValueError | TypeError $e) {
		echo get_class($e), ': ', $e->getMessage(), "\n";
	}
}
foreach ([false, true, [], ['server_no_context_takeover' => true, 'client_no_context_takeover' => false,
	'server_max_window_bits' => 8, 'client_max_window_bits' => 15, 'level' => 0, 'memory_level' => 9, 'threshold' => 0]] as $ok) {
	$s = new Salon\Server('127.0.0.1', 0, ['compression' => $ok]);
	echo "ok: ", json_encode($ok), "\n";
}
?>
--EXPECT--
TypeError: Salon\Server::__construct(): Argument #3 ($options) option "compression" must be of type array|bool, string given
TypeError: Salon\Server::__construct(): Argument #3 ($options) option "compression" must be of type array|bool, int given
ValueError: Salon\Server::__construct(): Argument #3 ($options) option "compression" key "level" must be between 0 and 9
ValueError: Salon\Server::__construct(): Argument #3 ($options) option "compression" key "level" must be between 0 and 9
TypeError: Salon\Server::__construct(): Argument #3 ($options) option "compression" key "level" must be of type int, string given
ValueError: Salon\Server::__construct(): Argument #3 ($options) option "compression" key "server_max_window_bits" must be between 8 and 15
ValueError: Salon\Server::__construct(): Argument #3 ($options) option "compression" key "client_max_window_bits" must be between 8 and 15
ValueError: Salon\Server::__construct(): Argument #3 ($options) option "compression" key "memory_level" must be between 1 and 9
ValueError: Salon\Server::__construct(): Argument #3 ($options) option "compression" key "threshold" must be between 0 and 9223372036854775807
TypeError: Salon\Server::__construct(): Argument #3 ($options) option "compression" key "server_no_context_takeover" must be of type bool, int given
ValueError: Salon\Server::__construct(): Argument #3 ($options) option "compression" contains unknown key "window_bits"
ValueError: Salon\Server::__construct(): Argument #3 ($options) option "compression" must only contain string keys, 0 given
ok: false
ok: true
ok: []
ok: {"server_no_context_takeover":true,"client_no_context_takeover":false,"server_max_window_bits":8,"client_max_window_bits":15,"level":0,"memory_level":9,"threshold":0}
