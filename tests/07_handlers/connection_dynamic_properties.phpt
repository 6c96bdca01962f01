--TEST--
Handlers: Connection takes dynamic properties ($c->user = ..., the Ratchet and Workerman habit) without a deprecation; they live and die with the connection object
--EXTENSIONS--
salon
--INI--
error_reporting=-1
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
final class User
{
	public function __construct(public string $name) {}
	public function __destruct() { echo "server: user {$this->name} freed\n"; }
}
$server = salon_server();
$server->on('open', function (Salon\Connection $c) {
	$c->user = new User('alice');
	$c->joined = 1;
	$c->me = $c; // a cycle through a dynamic property
});
$server->on('message', function (Salon\Connection $c, string $data) {
	$c->joined++;
	$c->send("{$c->user->name}: $data ({$c->joined})");
});
$server->on('close', function (Salon\Connection $c, int $code) {
	echo "server: close $code, user ", $c->user->name, ", joined ", $c->joined, ", same object ", var_export($c->me === $c, true), "\n";
	try {
		$c->id = 5;
	} catch (Error $e) {
		echo "server: ", $e::class, ": ", $e->getMessage(), "\n";
	}
	echo "server: props ", implode(',', array_keys(get_object_vars($c))), "\n";
});
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->send('hi');
echo WsClient::describe($c->readFrame()), "\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
gc_collect_cycles();
echo "done\n";
?>
--EXPECT--
server: close 1000, user alice, joined 2, same object true
server: Error: Cannot modify readonly property Salon\Connection::$id
server: props id,remoteAddress,data,user,joined,me
text "alice: hi (2)"
close 1000 closed
server: user alice freed
done
