--TEST--
Rooms: an empty room name is a ValueError; names are binary-safe; join() on a closed connection returns false
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('open', function (Salon\Connection $c) use ($server) {
	try {
		$c->join('');
	} catch (ValueError $e) {
		echo get_class($e), ': ', $e->getMessage(), "\n";
	}
	var_dump($c->join("a\0b"), $c->join('a'), $c->rooms() === ["a\0b", 'a']);
	var_dump($server->roomCount("a\0b"), $server->roomCount('a'), $server->roomCount("a\0"));
	var_dump($c->leave(''), $c->leave("a\0b"), $c->rooms());
	$c->close();
	var_dump($c->join('late'), $c->rooms());
});
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
echo "a: ", $a->expectFail(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
ValueError: Salon\Connection::join(): Argument #1 ($room) must not be empty
bool(true)
bool(true)
bool(true)
int(1)
int(1)
int(0)
bool(false)
bool(true)
array(1) {
  [0]=>
  string(1) "a"
}
bool(false)
array(1) {
  [0]=>
  string(1) "a"
}
a: close 1000 closed
